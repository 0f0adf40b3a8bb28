# shellcheck shell=bash
# The benchmark workloads done with awscli (`aws s3 cp`, `aws s3api`). Sourced by
# bench/run_s3core_bench.sh, which sets ENDPOINT, BUCKET, REGION, ACCESS_KEY, SECRET_KEY, WORK,
# SIZE, PART, THREADS and the data files.
#
# awscli's transfer manager does the parallel work (max_concurrent_requests threads, parts of
# multipart_chunksize). Each `aws` command starts a Python interpreter (about 0.5 s of CPU here),
# which the figures include: for large objects it is small beside the transfer, for small objects
# the bulk workloads use one `aws s3 cp --only-show-errors --recursive` over a directory, and HEAD, which has no
# bulk form, is one process per request and says so in its name.
# Over plain http botocore signs every payload (SHA-256 of the body), which costs it CPU time
# that s3core and curl, sending UNSIGNED-PAYLOAD, do not spend.

# aws_config FILE CONCURRENCY THRESHOLD: an awscli config for the RGW endpoint.
aws_config() {
  cat >"$1" <<EOF
[default]
region = $REGION
# botocore >= 1.36 adds CRC checksums (aws-chunked trailers) that RGW 16 does not take.
request_checksum_calculation = when_required
response_checksum_validation = when_required
s3 =
  addressing_style = path
  max_concurrent_requests = $2
  multipart_chunksize = $((PART >> 20))MB
  multipart_threshold = $3
EOF
}

# aws_with CONFIG ARGS...: runs aws with CONFIG and the benchmark's keys.
aws_with() {
  local config=$1
  shift
  AWS_CONFIG_FILE=$config AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ACCESS_KEY_ID=$ACCESS_KEY \
    AWS_SECRET_ACCESS_KEY=$SECRET_KEY AWS_PAGER="" aws --endpoint-url "$ENDPOINT" "$@"
}

aws_prepare() {
  aws_config "$WORK/aws-large.cfg" "$THREADS" "$((PART >> 20))MB"
  aws_config "$WORK/aws-single.cfg" 1 "64GB"  # above the object size: one PUT, one GET
  local t
  for t in $SMALL_THREADS; do aws_config "$WORK/aws-small-$t.cfg" "$t" "64GB"; done
}

# put-large: `aws s3 cp FILE s3://...`, multipart with THREADS parts in flight.
aws_put_large() { aws_with "$WORK/aws-large.cfg" s3 cp --only-show-errors "$SRC_FILE" "s3://$BUCKET/$1"; }

# get-large: ranged GETs in parallel, written in order to stdout, which goes to /dev/null.
aws_get_large() { aws_with "$WORK/aws-large.cfg" s3 cp --only-show-errors "s3://$BUCKET/$1" - >/dev/null; }

aws_get_single() { aws_with "$WORK/aws-single.cfg" s3 cp --only-show-errors "s3://$BUCKET/$1" - >/dev/null; }
aws_put_single() { aws_with "$WORK/aws-single.cfg" s3 cp --only-show-errors "$SRC_FILE" "s3://$BUCKET/$1"; }

# aws_small_files DIR COUNT: COUNT files of SMALL_SIZE bytes in DIR (the upload source).
aws_small_files() {
  rm -rf "$1" && mkdir -p "$1"
  head -c $(($2 * SMALL_SIZE)) /dev/urandom | (cd "$1" && split -b "$SMALL_SIZE" -a 6 - obj.)
}

# small-put / small-get: one `aws s3 cp --only-show-errors --recursive` of a directory of small files, THREADS
# requests in flight. small-get lists the prefix first (one extra request per 1000 keys).
aws_small_put() { aws_with "$WORK/aws-small-$1.cfg" s3 cp --only-show-errors --recursive "$2" "s3://$BUCKET/$3"; }
aws_small_get() {
  rm -rf "$2" && aws_with "$WORK/aws-small-$1.cfg" s3 cp --only-show-errors --recursive "s3://$BUCKET/$3" "$2"
  local n
  n=$(find "$2" -type f | wc -l)
  [[ $n == "$4" ]] || { echo "awscli: downloaded $n small objects, expected $4" >&2; return 1; }
}

# small-head, one `aws s3api head-object` process per request: KEY_PREFIX COUNT.
aws_small_head_processes() {
  local i names
  names=("$WORK"/aws-small-src/obj.*)
  for ((i = 0; i < $2; i++)); do
    aws_with "$WORK/aws-single.cfg" s3api head-object --bucket "$BUCKET" --key "$1${names[i]##*/}" >/dev/null
  done
}
