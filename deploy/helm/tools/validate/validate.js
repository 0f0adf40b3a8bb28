#!/usr/bin/env node
// Validates rendered Kubernetes manifests (one multi-document YAML file) three ways:
//  1. YAML: every document parses, with no duplicate keys and no YAML warnings.
//  2. Schema: each object is checked by kubernetes-models' validators, generated from the
//     Kubernetes OpenAPI schema (required fields, types, formats such as int32 or quantities).
//  3. Unknown fields: the same objects are written as TypeScript object literals typed with
//     kubernetes-models' interfaces and type-checked by tsc; TypeScript's excess-property check
//     rejects any field the API does not define (the API server would drop it, or reject it under
//     strict field validation), and its literal types reject invalid enum values.
// Then the chart's own rules in chart_rules.js.
//
//   node validate.js RENDERED.yaml
//
// Exit status 0 when everything holds; otherwise every problem is printed and the status is 1.
"use strict";
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");
const ts = require("typescript");
const { checkChartRules } = require("./chart_rules.js");

// Module that defines apiVersion/kind, for kubernetes-models and the Prometheus Operator's CRDs.
function modelModule(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  return group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

function describe(doc) {
  const name = doc.metadata && doc.metadata.name;
  return `${doc.kind}/${name} (${doc.__source})`;
}

function parseDocuments(file) {
  const errors = [];
  const docs = [];
  const text = fs.readFileSync(file, "utf8");
  let source = "?";
  for (const d of YAML.parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })) {
    const comment = `${d.commentBefore || ""}\n${(d.contents && d.contents.commentBefore) || ""}`;
    const m = /^ ?Source: (\S+)/m.exec(comment);
    if (m) source = m[1];
    for (const e of d.errors) errors.push(`${source}: YAML error: ${e.message}`);
    for (const w of d.warnings) errors.push(`${source}: YAML warning: ${w.message}`);
    if (d.errors.length) continue;
    const obj = d.toJSON();
    if (obj === null || obj === undefined) continue;
    if (typeof obj !== "object" || Array.isArray(obj)) {
      errors.push(`${source}: a document is not an object`);
      continue;
    }
    Object.defineProperty(obj, "__source", { value: source, enumerable: false });
    docs.push(obj);
  }
  return { docs, errors };
}

function schemaCheck(docs) {
  const errors = [];
  for (const doc of docs) {
    if (!doc.apiVersion || !doc.kind) {
      errors.push(`${doc.__source}: object without apiVersion/kind`);
      continue;
    }
    let Model;
    try {
      Model = require(modelModule(doc.apiVersion, doc.kind))[doc.kind];
    } catch (e) {
      errors.push(`${describe(doc)}: unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      errors.push(`${describe(doc)}: schema: ${e.message}`);
    }
  }
  return errors;
}

function unknownFieldCheck(docs, workDir) {
  const lines = [];
  const owner = []; // line number -> document description
  docs.forEach((doc, i) => {
    let mod;
    try {
      mod = modelModule(doc.apiVersion, doc.kind);
      require.resolve(mod);
    } catch (e) {
      return; // reported by schemaCheck
    }
    const body = JSON.stringify(doc, null, 2).split("\n");
    lines.push(`import type { I${doc.kind} as T${i} } from ${JSON.stringify(mod)};`);
    owner[lines.length] = describe(doc);
    const start = lines.length;
    lines.push(`export const o${i}: T${i} = ${body[0]}`, ...body.slice(1));
    for (let l = start; l < lines.length; l++) owner[l + 1] = describe(doc);
  });
  const file = path.join(workDir, "rendered-objects.ts");
  fs.writeFileSync(file, lines.join("\n") + "\n");
  const program = ts.createProgram([file], {
    noEmit: true, strict: true, skipLibCheck: true, target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
  });
  const errors = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
    if (d.file && d.start !== undefined) {
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const text = d.file.text.split("\n")[line].trim();
      errors.push(`${owner[line + 1] || d.file.fileName}: fields: ${msg}\n  at: ${text}`);
    } else {
      errors.push(`typescript: ${msg}`);
    }
  }
  return errors;
}

function main() {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: validate.js RENDERED.yaml");
    process.exit(2);
  }
  const { docs, errors } = parseDocuments(file);
  errors.push(...schemaCheck(docs));
  errors.push(...unknownFieldCheck(docs, __dirname));
  errors.push(...checkChartRules(docs));
  const kinds = {};
  for (const d of docs) kinds[d.kind] = (kinds[d.kind] || 0) + 1;
  const summary = Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ");
  if (errors.length) {
    for (const e of errors) console.error(`  FAIL ${e}`);
    console.error(`${path.basename(file)}: ${errors.length} problem(s) in ${docs.length} objects`);
    process.exit(1);
  }
  console.log(`${path.basename(file)}: ${docs.length} objects valid (${summary})`);
}

main();
