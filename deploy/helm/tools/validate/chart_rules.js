// The s3csi chart's own rules, checked on the rendered objects of every variant: what the
// driver's design needs (docs/ARCHITECTURE.md, docs/KUBERNETES.md) and what least privilege means
// for it. Each rule returns readable messages; an empty list means it holds.
"use strict";

// Flags the chart may pass, per binary: the CLI of s3csi and s3csi-mounterd (csi/cmd,
// csi/mount/mounterd). check.sh also compares them with the built binaries' --help when present.
const KNOWN_FLAGS = {
  "/usr/local/bin/s3csi": ["--mode", "--endpoint", "--node-id", "--driver-name", "--mounterd-socket",
                           "--log-level", "--kubelet-dir", "--metrics-address"],
  "/usr/local/bin/s3csi-mounterd": ["--socket", "--s3mount", "--log-level", "--metrics-address"],
};

const WORKLOAD_KINDS = new Set(["Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob", "Pod"]);

function podSpecOf(doc) {
  if (doc.kind === "Pod") return doc.spec;
  if (doc.kind === "CronJob") return doc.spec.jobTemplate.spec.template.spec;
  return doc.spec && doc.spec.template && doc.spec.template.spec;
}

function containersOf(doc) {
  const spec = podSpecOf(doc) || {};
  return [...(spec.initContainers || []), ...(spec.containers || [])];
}

function component(doc) {
  return ((doc.metadata || {}).labels || {})["app.kubernetes.io/component"];
}

function flagValue(container, flag) {
  for (const a of container.args || []) {
    if (a.startsWith(flag + "=")) return a.slice(flag.length + 1);
  }
  return undefined;
}

function checkChartRules(docs) {
  const errors = [];
  const fail = (msg) => errors.push(`rule: ${msg}`);
  const byKind = (kind) => docs.filter((d) => d.kind === kind);
  const workloads = docs.filter((d) => WORKLOAD_KINDS.has(d.kind));
  const one = (kind, comp) => {
    const found = docs.filter((d) => d.kind === kind && (comp === undefined || component(d) === comp));
    if (found.length !== 1) fail(`expected exactly one ${kind}${comp ? " " + comp : ""}, found ${found.length}`);
    return found[0];
  };

  // The CSIDriver object.
  const driver = one("CSIDriver");
  if (driver) {
    const s = driver.spec || {};
    if (s.attachRequired !== false) fail("CSIDriver.spec.attachRequired must be false (no ControllerPublish)");
    if (s.podInfoOnMount !== true) fail("CSIDriver.spec.podInfoOnMount must be true");
    if (s.fsGroupPolicy !== "File") fail("CSIDriver.spec.fsGroupPolicy must be File (fsGroup delegated via VOLUME_MOUNT_GROUP)");
  }
  const driverName = driver && driver.metadata.name;

  const controller = one("Deployment", "controller");
  const node = one("DaemonSet", "node");
  const mounterd = one("DaemonSet", "mounterd");

  // mounterd holds the live mounts: nothing may restart it on upgrade.
  if (mounterd) {
    const strategy = (mounterd.spec.updateStrategy || {}).type;
    if (strategy !== "OnDelete") fail(`mounterd DaemonSet updateStrategy must be OnDelete, is ${strategy}`);
  }

  // Privilege only where mounting needs it: the node plugin's s3csi container.
  for (const w of workloads) {
    const spec = podSpecOf(w) || {};
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) fail(`${w.kind}/${w.metadata.name}: host namespaces are not needed`);
    for (const c of containersOf(w)) {
      const where = `${w.kind}/${w.metadata.name} container ${c.name}`;
      const sc = c.securityContext || {};
      const isNodePlugin = w === node && c.name === "s3csi";
      if (sc.privileged && !isNodePlugin) fail(`${where} is privileged; only the node plugin may be`);
      if (isNodePlugin && !sc.privileged) fail(`${where} must be privileged (mount(2), Bidirectional propagation)`);
      if (!isNodePlugin) {
        if (sc.allowPrivilegeEscalation !== false) fail(`${where}: allowPrivilegeEscalation must be false`);
        const drop = ((sc.capabilities || {}).drop) || [];
        if (!drop.includes("ALL")) fail(`${where}: must drop ALL capabilities`);
        if (((sc.capabilities || {}).add || []).length) fail(`${where}: adds capabilities`);
      }
      for (const m of c.volumeMounts || []) {
        if (m.mountPropagation === "Bidirectional" && !isNodePlugin) fail(`${where}: Bidirectional propagation outside the node plugin`);
      }
      const r = c.resources || {};
      if (!r.requests || !r.limits || !r.limits.memory) fail(`${where}: needs resource requests and a memory limit`);
      if (!c.image || /:$/.test(c.image) || !/:[^/]+$/.test(c.image)) fail(`${where}: image ${c.image} has no tag`);
      // A named probe port must be declared by the same container.
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
        const port = probe && probe.httpGet && probe.httpGet.port;
        if (typeof port === "string" && !(c.ports || []).some((p) => p.name === port)) {
          fail(`${where}: probe port ${port} is not a port of this container`);
        }
      }
      // Flags passed to our binaries are ones they define.
      const known = KNOWN_FLAGS[(c.command || [])[0]];
      if (known) {
        for (const a of c.args || []) {
          const flag = a.split("=")[0];
          if (!known.includes(flag)) fail(`${where}: ${flag} is not a flag of ${(c.command || [])[0]}`);
        }
      }
    }
    // Host paths: only the node plugin (kubelet dirs, socket dir) and mounterd (socket dir).
    for (const v of spec.volumes || []) {
      if (v.hostPath && w !== node && w !== mounterd) fail(`${w.kind}/${w.metadata.name}: hostPath ${v.hostPath.path}`);
    }
    // The selector must select the pod template.
    const sel = (w.spec.selector || {}).matchLabels || {};
    const labels = ((w.spec.template || {}).metadata || {}).labels || {};
    for (const [k, v] of Object.entries(sel)) {
      if (labels[k] !== v) fail(`${w.kind}/${w.metadata.name}: selector ${k}=${v} does not match its pod template`);
    }
  }
  if (controller) {
    const spec = podSpecOf(controller);
    if (spec.volumes.some((v) => v.hostPath)) fail("controller must not use host paths");
    if (!containersOf(controller).some((c) => /csi-provisioner:/.test(c.image))) fail("controller has no csi-provisioner");
  }

  // Secrets: never in args, env values or annotations; only in Secret objects. The CI variants
  // fill the credentials with strings containing SENTINEL to make this checkable.
  for (const d of docs) {
    if (d.kind === "Secret") continue;
    const text = JSON.stringify(d);
    if (/SENTINEL/.test(text)) fail(`${d.kind}/${d.metadata.name}: a credential value leaked out of the Secret`);
  }
  for (const w of workloads) {
    for (const c of containersOf(w)) {
      for (const a of [...(c.args || []), ...(c.command || [])]) {
        if (/secret|access[-_]?key|session[-_]?token|passw/i.test(a)) fail(`${w.metadata.name}/${c.name}: credential-like argument ${a}`);
      }
    }
  }

  // The node plugin, its sidecars, kubelet and mounterd must agree on paths and names.
  if (node && mounterd && driver) {
    const pod = podSpecOf(node);
    const plugin = pod.containers.find((c) => c.name === "s3csi");
    const registrar = pod.containers.find((c) => c.name === "node-driver-registrar");
    const vol = (name) => (pod.volumes.find((v) => v.name === name) || {}).hostPath || {};
    const kubeletDir = flagValue(plugin, "--kubelet-dir");
    if (vol("kubelet-dir").path !== kubeletDir) fail(`node --kubelet-dir ${kubeletDir} is not the kubelet-dir hostPath ${vol("kubelet-dir").path}`);
    const km = (plugin.volumeMounts || []).find((m) => m.name === "kubelet-dir") || {};
    if (km.mountPath !== kubeletDir || km.mountPropagation !== "Bidirectional") fail("kubelet dir must be mounted at the same path, Bidirectional");
    const pluginDir = `${kubeletDir}/plugins/${driverName}`;
    if (vol("plugin-dir").path !== pluginDir) fail(`plugin-dir hostPath ${vol("plugin-dir").path} is not ${pluginDir}`);
    if (flagValue(registrar, "--kubelet-registration-path") !== `${pluginDir}/csi.sock`) fail("registrar registration path does not match the plugin dir");
    if (vol("registration-dir").path !== `${kubeletDir}/plugins_registry`) fail("registration-dir is not kubelet's plugins_registry");
    if (flagValue(plugin, "--driver-name") !== driverName) fail("node --driver-name differs from the CSIDriver name");
    const mpod = podSpecOf(mounterd);
    const md = mpod.containers.find((c) => c.name === "mounterd");
    const socket = flagValue(md, "--socket");
    if (flagValue(plugin, "--mounterd-socket") !== socket) fail(`node --mounterd-socket differs from mounterd --socket ${socket}`);
    const sockDir = socket.replace(/\/[^/]*$/, "");
    const mvol = (mpod.volumes.find((v) => v.hostPath) || {}).hostPath || {};
    if (vol("socket-dir").path !== sockDir || mvol.path !== sockDir) fail(`socket directory ${sockDir} is not the hostPath shared by node and mounterd`);
    if (mpod.volumes.filter((v) => v.hostPath).length !== 1) fail("mounterd must use no host path but the socket directory");
    const cflag = controller && flagValue(podSpecOf(controller).containers.find((c) => c.name === "s3csi"), "--driver-name");
    if (cflag !== driverName) fail("controller --driver-name differs from the CSIDriver name");
  }

  // StorageClasses name this driver; when they carry secrets, both provisioner and node-publish.
  for (const sc of byKind("StorageClass")) {
    if (sc.provisioner !== driverName) fail(`StorageClass/${sc.metadata.name}: provisioner ${sc.provisioner} is not ${driverName}`);
    const p = sc.parameters || {};
    const hasProv = "csi.storage.k8s.io/provisioner-secret-name" in p;
    const hasNode = "csi.storage.k8s.io/node-publish-secret-name" in p;
    if (hasProv !== hasNode) fail(`StorageClass/${sc.metadata.name}: provisioner and node-publish secrets must come together`);
    for (const [k, v] of Object.entries(p)) {
      if (typeof v !== "string") fail(`StorageClass/${sc.metadata.name}: parameter ${k} must be a string`);
    }
  }

  // RBAC: no wildcards; Secrets are only read, one by one; bindings point at objects that exist.
  const names = (kind) => new Set(byKind(kind).map((d) => `${d.metadata.namespace || ""}/${d.metadata.name}`));
  const serviceAccounts = names("ServiceAccount");
  for (const role of [...byKind("ClusterRole"), ...byKind("Role")]) {
    for (const rule of role.rules || []) {
      for (const f of ["verbs", "resources", "apiGroups"]) {
        if ((rule[f] || []).includes("*")) fail(`${role.kind}/${role.metadata.name}: wildcard in ${f}`);
      }
      if ((rule.resources || []).includes("secrets") && rule.verbs.some((v) => v !== "get")) {
        fail(`${role.kind}/${role.metadata.name}: secrets may only be read with get`);
      }
    }
  }
  for (const b of [...byKind("ClusterRoleBinding"), ...byKind("RoleBinding")]) {
    const ref = b.roleRef;
    const target = ref.kind === "ClusterRole" ? names("ClusterRole").has(`/${ref.name}`)
                                                : byKind("Role").some((r) => r.metadata.name === ref.name && r.metadata.namespace === b.metadata.namespace);
    if (!target) fail(`${b.kind}/${b.metadata.name}: roleRef ${ref.kind}/${ref.name} is not in the chart`);
    for (const s of b.subjects || []) {
      if (s.kind === "ServiceAccount" && !serviceAccounts.has(`${s.namespace}/${s.name}`)) fail(`${b.kind}/${b.metadata.name}: subject ${s.namespace}/${s.name} is not in the chart`);
    }
  }
  for (const w of workloads) {
    const sa = (podSpecOf(w) || {}).serviceAccountName;
    if (sa && !serviceAccounts.has(`${w.metadata.namespace}/${sa}`)) fail(`${w.kind}/${w.metadata.name}: serviceAccount ${sa} is not in the chart`);
  }
  // Only the controller's service account is bound to any role.
  const bound = new Set();
  for (const b of [...byKind("ClusterRoleBinding"), ...byKind("RoleBinding")]) for (const s of b.subjects || []) bound.add(s.name);
  for (const w of [node, mounterd]) {
    if (w && bound.has(podSpecOf(w).serviceAccountName)) fail(`${w.metadata.name}: its service account must have no role`);
  }

  // Services select pods of the chart and target ports those pods declare.
  for (const svc of byKind("Service")) {
    const sel = svc.spec.selector || {};
    const pods = workloads.filter((w) => Object.entries(sel).every(([k, v]) => ((w.spec.template.metadata || {}).labels || {})[k] === v));
    if (!pods.length) fail(`Service/${svc.metadata.name}: selects no pod of the chart`);
    for (const port of svc.spec.ports || []) {
      for (const w of pods) {
        if (typeof port.targetPort === "string" && !containersOf(w).some((c) => (c.ports || []).some((p) => p.name === port.targetPort))) {
          fail(`Service/${svc.metadata.name}: ${w.metadata.name} has no port named ${port.targetPort}`);
        }
      }
    }
  }
  return errors;
}

module.exports = { checkChartRules, KNOWN_FLAGS };
