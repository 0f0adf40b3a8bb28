# shellcheck shell=bash
# The benchmark workloads done with the curl command line tool (libcurl 7.88, --aws-sigv4).
# Sourced by bench/run_s3core_bench.sh, which sets ENDPOINT, BUCKET, REGION, ACCESS_KEY,
# SECRET_KEY, WORK, SIZE, PART, THREADS and the data files.
#
# Requests are described in curl config files (-K), one transfer group per request separated
# by `next`, so one curl process runs many requests over kept-alive connections, as a program
# using libcurl would; nothing pays for a process start per request. Parallel work is N curl
# processes (xargs -P N), each running its share of the requests in turn, like N threads.
#
# curl 7.88 quirks on RGW: it does not send x-amz-content-sha256, which RGW requires, so it is
# added (and signed) by hand; query strings must be written sorted, encoded and with '='.

# curl_auth: the options every request group repeats (`next` resets them).
curl_auth() {
  printf 'aws-sigv4 = "aws:amz:%s:s3"\nuser = "%s:%s"\nheader = "x-amz-content-sha256: UNSIGNED-PAYLOAD"\n' \
    "$REGION" "$ACCESS_KEY" "$SECRET_KEY"
  printf 'fail\nsilent\nshow-error\noutput = "/dev/null"\n'
}

# curl_group FIRST URL LINES...: one request group of a config file.
curl_group() {
  local first=$1 url=$2
  shift 2
  [[ $first == 1 ]] || echo next
  curl_auth
  printf 'url = "%s"\n' "$url"
  local line
  for line in "$@"; do printf '%s\n' "$line"; done
}

# curl_run_configs CONFIG...: runs each config file in its own curl process, all at once
# (xargs -P), each printing its write-out lines to CONFIG.out.
curl_run_configs() {
  # shellcheck disable=SC2016  # $1 is expanded by the inner sh, once per config
  printf '%s\n' "$@" | xargs -P "$#" -I{} sh -c 'curl -sS --fail-early -K "$1" >"$1.out"' _ {}
}

# Sums the first column of the .out files of the given configs (one process).
curl_sum_out() {
  local -a outs=("${@/%/.out}")
  awk '{ s += $1 } END { printf "%d", s }' "${outs[@]}"
}

# curl_prepare_large KEY: writes the config files of put-large and get-large for KEY (THREADS
# of each; request i goes to file i % THREADS). Done before the clock starts; the upload id,
# known only then, is a placeholder.
curl_prepare_large() {
  local base="$ENDPOINT/$BUCKET/$1" i w off end first
  local -a parts=("$PART_DIR"/part.*)
  for ((w = 0; w < THREADS; w++)); do : >"$WORK/curl-put.$w.cfg"; : >"$WORK/curl-get.$w.cfg"; done
  for ((i = 0; i < ${#parts[@]}; i++)); do
    w=$((i % THREADS))
    first=$((i < THREADS ? 1 : 0))
    curl_group "$first" "$base?partNumber=$((i + 1))&uploadId=@UPLOAD_ID@" \
      "upload-file = \"${parts[i]}\"" "dump-header = \"$WORK/curl-put.hdr.$(printf %05d $((i + 1)))\"" \
      'write-out = "%{size_upload}\n"' >>"$WORK/curl-put.$w.cfg"
  done
  for ((i = 0; i * PART < SIZE; i++)); do
    w=$((i % THREADS))
    first=$((i < THREADS ? 1 : 0))
    off=$((i * PART))
    end=$((off + PART - 1 < SIZE - 1 ? off + PART - 1 : SIZE - 1))
    curl_group "$first" "$base" "range = \"$off-$end\"" 'write-out = "%{size_download}\n"' >>"$WORK/curl-get.$w.cfg"
  done
}

# curl_configs KIND: the config files of put-large or get-large (those that got requests).
curl_configs() {
  local -n _configs=$2
  local w
  _configs=()
  for ((w = 0; w < THREADS; w++)); do
    [[ -s $WORK/curl-$1.$w.cfg ]] && _configs+=("$WORK/curl-$1.$w.cfg")
  done
  return 0
}

# put-large: multipart upload, PART-byte parts (pre-split files) THREADS at a time.
curl_put_large() {
  local base="$ENDPOINT/$BUCKET/$1" upload_id sent
  local -a configs
  curl_configs put configs
  upload_id=$(curl -sS --fail-with-body -X POST --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$base?uploads=" | sed -n 's:.*<UploadId>\(.*\)</UploadId>.*:\1:p')
  [[ -n $upload_id ]] || { echo "curl: CreateMultipartUpload gave no UploadId" >&2; return 1; }
  sed -i "s|@UPLOAD_ID@|$upload_id|" "${configs[@]}"
  rm -f "$WORK"/curl-put.hdr.*
  curl_run_configs "${configs[@]}"
  # The header files sort by part number (zero-padded names).
  awk 'BEGIN { print "<CompleteMultipartUpload>" }
       FNR == 1 { n++ }
       tolower($1) == "etag:" { sub(/\r$/, "", $2); printf "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>\n", n, $2 }
       END { print "</CompleteMultipartUpload>" }' "$WORK"/curl-put.hdr.* >"$WORK/curl-complete.xml"
  curl -sS --fail-with-body -o /dev/null -X POST --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -H "Content-Type: application/xml" \
    --data-binary "@$WORK/curl-complete.xml" "$base?uploadId=$upload_id"
  sent=$(curl_sum_out "${configs[@]}")
  [[ $sent == "$SIZE" ]] || { echo "curl: uploaded $sent bytes, expected $SIZE" >&2; return 1; }
}

# get-large: ranged GETs of PART bytes, THREADS at a time, bodies to /dev/null.
curl_get_large() {
  local got
  local -a configs
  curl_configs get configs
  curl_run_configs "${configs[@]}"
  got=$(curl_sum_out "${configs[@]}")
  [[ $got == "$SIZE" ]] || { echo "curl: downloaded $got bytes, expected $SIZE" >&2; return 1; }
}

# get-single: one GET of the whole object.
curl_get_single() {
  local got
  got=$(curl -sS --fail -o /dev/null -w '%{size_download}' --aws-sigv4 "aws:amz:$REGION:s3" \
    --user "$ACCESS_KEY:$SECRET_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$ENDPOINT/$BUCKET/$1")
  [[ $got == "$SIZE" ]] || { echo "curl: downloaded $got bytes, expected $SIZE" >&2; return 1; }
}

# put-single: one PUT of the whole source file.
curl_put_single() {
  curl -sS --fail-with-body -o /dev/null --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$SRC_FILE" "$ENDPOINT/$BUCKET/$1"
}

# curl_small_config KIND PREFIX OPS: a config of OPS requests (put, get or head) on PREFIX<i>.
curl_small_config() {
  local kind=$1 prefix=$2 ops=$3 cfg="$WORK/curl-small-$1.cfg" i
  local -a extra
  case $kind in
    put) extra=("upload-file = \"$SMALL_FILE\"") ;;
    get) extra=('write-out = "%{size_download}\n"') ;;
    head) extra=(head) ;;
  esac
  for ((i = 0; i < ops; i++)); do
    curl_group $((i == 0 ? 1 : 0)) "$ENDPOINT/$BUCKET/$prefix$i" "${extra[@]}"
  done >"$cfg"
  echo "$cfg"
}

# curl_small KIND CONFIG THREADS: one curl process runs the config, THREADS transfers at a time
# (--parallel, libcurl's multi interface in one thread) or one after another.
curl_small() {
  local kind=$1 cfg=$2 threads=$3
  local -a parallel=()
  ((threads > 1)) && parallel=(--parallel --parallel-max "$threads")
  curl -sS --no-progress-meter --fail-early "${parallel[@]}" -K "$cfg" >"$cfg.out"
  if [[ $kind == get ]]; then
    local got
    got=$(awk '{ s += $1 } END { printf "%d", s }' "$cfg.out")
    [[ $got == $((SMALL_OPS * SMALL_SIZE)) ]] || { echo "curl: got $got bytes of small objects" >&2; return 1; }
  fi
}
