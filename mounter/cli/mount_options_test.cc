#include "mounter/cli/mount_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mounter::cli {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;


MountOptions ParseOk(std::vector<std::string> args) {
  auto parsed = ParseMountOptions(args);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : MountOptions{};
}

std::string ParseError(std::vector<std::string> args) {
  auto parsed = ParseMountOptions(args);
  EXPECT_FALSE(parsed.ok());
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().kind(), s3core::ErrorKind::kInvalidArgument);
  return parsed.status().message();
}

TEST(MountOptionsTest, NoArgumentsIsMissingBucketLikeS3fs) {
  EXPECT_EQ(ParseError({}), "missing BUCKET argument.");
}

TEST(MountOptionsTest, BucketWithoutMountpoint) { EXPECT_THAT(ParseError({"bkt"}), HasSubstr("missing MOUNTPOINT")); }

TEST(MountOptionsTest, ExtraArgumentRefused) {
  EXPECT_THAT(ParseError({"bkt", "/mnt", "/other"}), HasSubstr("unexpected argument `/other'"));
}

TEST(MountOptionsTest, BucketAndMountpoint) {
  auto o = ParseOk({"my-bucket", "/mnt/x"});
  EXPECT_EQ(o.fs.bucket, "my-bucket");
  EXPECT_EQ(o.fs.prefix, "");
  EXPECT_EQ(o.mountpoint, "/mnt/x");
  EXPECT_FALSE(o.foreground);
  EXPECT_EQ(o.s3.credentials.bucket, "my-bucket");
  EXPECT_EQ(o.fs.uid, getuid());
  EXPECT_EQ(o.fs.gid, getgid());
  EXPECT_FALSE(o.fs.override_owner);
  EXPECT_THAT(o.fuse_options, Contains("fsname=my-bucket"));
  EXPECT_THAT(o.fuse_options, Contains("subtype=s3mount"));
  EXPECT_THAT(o.fuse_options, Contains("default_permissions"));
  EXPECT_THAT(o.fuse_options, Contains("rw"));
  EXPECT_THAT(o.fuse_options, Not(Contains("allow_other")));
}

TEST(MountOptionsTest, PrefixIsNormalised) {
  EXPECT_EQ(ParseOk({"b:/a/b", "/m"}).fs.prefix, "a/b/");
  EXPECT_EQ(ParseOk({"b:/a//b/", "/m"}).fs.prefix, "a/b/");
  EXPECT_EQ(ParseOk({"b:/", "/m"}).fs.prefix, "");
  auto o = ParseOk({"b:/dir", "/m"});
  EXPECT_EQ(o.fs.bucket, "b");
  EXPECT_THAT(o.fuse_options, Contains("fsname=b:/dir"));
}

TEST(MountOptionsTest, BadPrefixes) {
  EXPECT_THAT(ParseError({"b:a", "/m"}), HasSubstr("must start with '/'"));
  EXPECT_THAT(ParseError({"b:/a/../c", "/m"}), HasSubstr(". or .."));
  EXPECT_THAT(ParseError({":/a", "/m"}), HasSubstr("missing BUCKET"));
  EXPECT_THAT(ParseError({"b/a", "/m"}), HasSubstr("BUCKET:/PREFIX"));
}

TEST(MountOptionsTest, BucketOptionMakesFirstArgumentTheMountpoint) {
  auto o = ParseOk({"/mnt/x", "-o", "bucket=bb:/p"});
  EXPECT_EQ(o.fs.bucket, "bb");
  EXPECT_EQ(o.fs.prefix, "p/");
  EXPECT_EQ(o.mountpoint, "/mnt/x");
}

TEST(MountOptionsTest, HelpAndVersionWinOverEverythingElse) {
  EXPECT_TRUE(ParseOk({"--help"}).show_help);
  EXPECT_TRUE(ParseOk({"-h"}).show_help);
  EXPECT_TRUE(ParseOk({"--version"}).show_version);
  EXPECT_TRUE(ParseOk({"-V"}).show_version);
}

TEST(MountOptionsTest, ForegroundDebugSingleThread) {
  auto o = ParseOk({"b", "/m", "-f", "-s"});
  EXPECT_TRUE(o.foreground);
  EXPECT_TRUE(o.single_thread);
  EXPECT_EQ(o.log_level, LogLevel::kInfo);
  o = ParseOk({"b", "/m", "-d"});
  EXPECT_EQ(o.log_level, LogLevel::kDebug);
  EXPECT_FALSE(o.fuse_debug);
  o = ParseOk({"b", "/m", "-d", "-d"});
  EXPECT_TRUE(o.fuse_debug);
  EXPECT_TRUE(o.foreground);
}

TEST(MountOptionsTest, UnknownDashOptionRefused) {
  EXPECT_THAT(ParseError({"b", "/m", "--frobnicate"}), HasSubstr("unknown option `--frobnicate'"));
}

TEST(MountOptionsTest, UnknownMountOptionRefusedByName) {
  EXPECT_THAT(ParseError({"b", "/m", "-o", "allow_other,frobnicate=3"}), HasSubstr("unknown option `frobnicate'"));
}

TEST(MountOptionsTest, DashOWithoutValue) { EXPECT_THAT(ParseError({"b", "/m", "-o"}), HasSubstr("-o needs a value")); }

TEST(MountOptionsTest, OptionsBeforePositionalsAndGluedDashO) {
  auto o = ParseOk({"-o", "ro", "-ouid=1000", "b", "/m"});
  EXPECT_TRUE(o.fs.read_only);
  EXPECT_EQ(o.fs.uid, 1000u);
  EXPECT_THAT(o.fuse_options, Contains("ro"));
}

TEST(MountOptionsTest, MountFuse3FstabLineParses) {
  // What mount.fuse3 runs for "bkt /mnt/x fuse.s3mount _netdev,allow_other,uid=1000 0 0".
  auto o = ParseOk({"bkt", "/mnt/x", "-o",
                    "rw,dev,suid,_netdev,allow_other,uid=1000,gid=100,noauto,nofail,user,users,defaults,"
                    "x-systemd.automount,comment=foo,noatime,relatime"});
  EXPECT_TRUE(o.fs.allow_other);
  EXPECT_EQ(o.fs.uid, 1000u);
  EXPECT_EQ(o.fs.gid, 100u);
  EXPECT_TRUE(o.fs.override_owner);
  EXPECT_THAT(o.fuse_options, Contains("allow_other"));
  EXPECT_THAT(o.fuse_options, Contains("dev"));
  EXPECT_THAT(o.fuse_options, Contains("suid"));
  EXPECT_THAT(o.fuse_options, Contains("noatime"));
  EXPECT_THAT(o.fuse_options, Not(Contains("_netdev")));
  EXPECT_THAT(o.fuse_options, Not(Contains("relatime")));
}

TEST(MountOptionsTest, ConnectionOptions) {
  auto o = ParseOk({"b", "/m", "-o",
                    "url=http://127.0.0.1:7480,endpoint=eu-west-1,use_path_request_style,connect_timeout=3,"
                    "readwrite_timeout=7,retries=2,requester_pays,sign_payload,ca_bundle=/etc/ca.pem"});
  EXPECT_EQ(o.s3.endpoint, "http://127.0.0.1:7480");
  EXPECT_EQ(o.s3.region, "eu-west-1");
  EXPECT_EQ(o.s3.addressing, s3core::AddressingStyle::kPath);
  EXPECT_EQ(o.s3.http.connect_timeout, std::chrono::seconds(3));
  EXPECT_EQ(o.s3.http.low_speed_time, std::chrono::seconds(7));
  EXPECT_EQ(o.s3.retry.max_attempts, 2);
  EXPECT_TRUE(o.s3.requester_pays);
  EXPECT_TRUE(o.s3.sign_payload);
  EXPECT_EQ(o.s3.http.ca_bundle, "/etc/ca.pem");
  EXPECT_TRUE(o.s3.http.verify_tls);
  EXPECT_EQ(ParseOk({"b", "/m", "-o", "region=ap-south-1"}).s3.region, "ap-south-1");
}

TEST(MountOptionsTest, TlsVerificationSwitches) {
  EXPECT_FALSE(ParseOk({"b", "/m", "-o", "no_check_certificate"}).s3.http.verify_tls);
  EXPECT_FALSE(ParseOk({"b", "/m", "-o", "ssl_verify_hostname=0"}).s3.http.verify_tls);
  EXPECT_TRUE(ParseOk({"b", "/m", "-o", "ssl_verify_hostname=2"}).s3.http.verify_tls);
  EXPECT_THAT(ParseError({"b", "/m", "-o", "ssl_verify_hostname=3"}), HasSubstr("out of range"));
}

TEST(MountOptionsTest, CredentialOptions) {
  auto o = ParseOk({"b", "/m", "-o", "passwd_file=/etc/s3.pw,profile=dev"});
  EXPECT_EQ(o.s3.credentials.passwd_file, "/etc/s3.pw");
  EXPECT_EQ(o.s3.credentials.profile, "dev");
  EXPECT_FALSE(o.s3.credentials.anonymous);
  EXPECT_TRUE(ParseOk({"b", "/m", "-o", "public_bucket=1"}).s3.credentials.anonymous);
  EXPECT_TRUE(ParseOk({"b", "/m", "-o", "anonymous"}).s3.credentials.anonymous);
  EXPECT_FALSE(ParseOk({"b", "/m", "-o", "public_bucket=0"}).s3.credentials.anonymous);
  EXPECT_THAT(ParseError({"b", "/m", "-o", "passwd_file="}), HasSubstr("is empty"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "passwd_file"}), HasSubstr("needs a value (passwd_file=PATH)"));
}

TEST(MountOptionsTest, FlagsTakeOnlyBooleanValues) {
  EXPECT_THAT(ParseError({"b", "/m", "-o", "allow_other=maybe"}), HasSubstr("takes no value"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "allow_other="}), HasSubstr("takes no value"));
  EXPECT_FALSE(ParseOk({"b", "/m", "-o", "allow_other=0"}).fs.allow_other);
}

TEST(MountOptionsTest, OwnershipAndMasks) {
  auto o = ParseOk({"b", "/m", "-o", "uid=0,gid=4294967294,umask=0077,mp_umask=2"});
  EXPECT_EQ(o.fs.uid, 0u);
  EXPECT_EQ(o.fs.gid, 4294967294u);
  EXPECT_EQ(o.fs.umask, 0077u);
  EXPECT_EQ(o.fs.mp_umask, 02u);
  EXPECT_TRUE(o.fs.override_owner);
}

TEST(MountOptionsTest, MalformedNumbersNameTheOption) {
  EXPECT_EQ(ParseError({"b", "/m", "-o", "uid=abc"}), "option `uid': `abc' is not a non-negative integer");
  EXPECT_THAT(ParseError({"b", "/m", "-o", "uid=-1"}), HasSubstr("`uid'"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "uid=4294967295"}), HasSubstr("out of range"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "gid=1x"}), HasSubstr("`gid'"));
  EXPECT_EQ(ParseError({"b", "/m", "-o", "umask=999"}), "option `umask': `999' is not an octal mask (like 022)");
  EXPECT_THAT(ParseError({"b", "/m", "-o", "umask=1777"}), HasSubstr("larger than 0777"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "mp_umask="}), HasSubstr("`mp_umask'"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "multipart_size=0"}), HasSubstr("out of range (5 to 5120)"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "parallel_count=0"}), HasSubstr("`parallel_count'"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "retries=0"}), HasSubstr("`retries'"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "stat_cache_expire=1.5"}), HasSubstr("`stat_cache_expire'"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "connect_timeout=0"}), HasSubstr("out of range"));
}

TEST(MountOptionsTest, WriteOptions) {
  auto o = ParseOk({"b", "/m", "-o", "default_acl=bucket-owner-full-control,storage_class=standard_ia,"
                                     "multipart_size=64,parallel_count=8"});
  EXPECT_EQ(o.fs.write_options.acl, "bucket-owner-full-control");
  EXPECT_EQ(o.fs.write_options.storage_class, "STANDARD_IA");
  EXPECT_EQ(o.fs.multipart_size, 64u << 20);
  EXPECT_EQ(o.fs.parallel_count, 8);
  EXPECT_THAT(ParseError({"b", "/m", "-o", "default_acl=everyone"}), HasSubstr("canned ACL"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "storage_class=a b"}), HasSubstr("storage class"));
}

TEST(MountOptionsTest, ServerSideEncryptionForms) {
  using Mode = s3core::ServerSideEncryption::Mode;
  EXPECT_EQ(ParseOk({"b", "/m", "-o", "use_sse=1"}).fs.write_options.sse.mode, Mode::kS3);
  auto kms = ParseOk({"b", "/m", "-o", "use_sse=kmsid"}).fs.write_options.sse;
  EXPECT_EQ(kms.mode, Mode::kKms);
  EXPECT_EQ(kms.kms_key_id, "");
  kms = ParseOk({"b", "/m", "-o", "use_sse=kmsid:arn:aws:kms:us-east-1:1:key/abc"}).fs.write_options.sse;
  EXPECT_EQ(kms.kms_key_id, "arn:aws:kms:us-east-1:1:key/abc");
  EXPECT_EQ(ParseOk({"b", "/m", "-o", "use_sse=k:id1"}).fs.write_options.sse.kms_key_id, "id1");
  auto custom = ParseOk({"b", "/m", "-o", "use_sse=custom:/etc/sse.key"});
  EXPECT_EQ(custom.fs.write_options.sse.mode, Mode::kCustomerKey);
  EXPECT_EQ(custom.sse_customer_key_file, "/etc/sse.key");
  EXPECT_EQ(ParseOk({"b", "/m", "-o", "use_sse=c,load_sse_c=/k"}).sse_customer_key_file, "/k");
  EXPECT_THAT(ParseError({"b", "/m", "-o", "use_sse=custom"}), HasSubstr("needs a key file"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "use_sse=2"}), HasSubstr("`use_sse'"));
}

TEST(MountOptionsTest, CacheOptions) {
  auto o = ParseOk({"b", "/m", "-o", "use_cache=/var/cache/s3,stat_cache_expire=900,max_stat_cache_size=5000,"
                                     "negative_cache_expire=2"});
  EXPECT_EQ(o.fs.cache_dir, "/var/cache/s3");
  EXPECT_EQ(o.fs.stat_ttl, std::chrono::seconds(900));
  EXPECT_EQ(o.fs.dir_ttl, std::chrono::seconds(900));
  EXPECT_EQ(o.fs.max_cached_entries, 5000u);
  EXPECT_EQ(o.fs.negative_ttl, std::chrono::seconds(2));
  EXPECT_EQ(ParseOk({"b", "/m", "-o", "disable_noobj_cache"}).fs.negative_ttl, std::chrono::milliseconds(0));
  EXPECT_EQ(ParseOk({"b", "/m", "-o", "stat_cache_expire=0"}).fs.stat_ttl, std::chrono::milliseconds(0));
}

TEST(MountOptionsTest, LoggingAndFuseOptions) {
  auto o = ParseOk({"b", "/m", "-o", "log_level=warn,logfile=/var/log/s3.log,max_idle_threads=4,clone_fd,"
                                     "auto_unmount,fsname=mys3,nosuid,nodev"});
  EXPECT_EQ(o.log_level, LogLevel::kWarn);
  EXPECT_EQ(o.log_file, "/var/log/s3.log");
  EXPECT_EQ(o.max_idle_threads, 4u);
  EXPECT_TRUE(o.clone_fd);
  EXPECT_THAT(o.fuse_options, Contains("auto_unmount"));
  EXPECT_THAT(o.fuse_options, Contains("fsname=mys3"));
  EXPECT_THAT(o.fuse_options, Not(Contains("fsname=b")));
  EXPECT_THAT(o.fuse_options, Contains("nosuid"));
  EXPECT_EQ(ParseOk({"b", "/m", "-o", "dbglevel=crit"}).log_level, LogLevel::kError);
  EXPECT_THAT(ParseError({"b", "/m", "-o", "log_level=loud"}), HasSubstr("log level"));
  auto debug = ParseOk({"b", "/m", "-o", "debug"});
  EXPECT_TRUE(debug.fuse_debug);
  EXPECT_TRUE(debug.foreground);
}

TEST(MountOptionsTest, AllowRootAndAllowOtherExclusive) {
  EXPECT_THAT(ParseOk({"b", "/m", "-o", "allow_root"}).fuse_options, Contains("allow_root"));
  EXPECT_THAT(ParseError({"b", "/m", "-o", "allow_root,allow_other"}), HasSubstr("cannot be used together"));
}

TEST(MountOptionsTest, ReadOnlyThenReadWriteLastWins) {
  EXPECT_FALSE(ParseOk({"b", "/m", "-o", "ro,rw"}).fs.read_only);
  EXPECT_TRUE(ParseOk({"b", "/m", "-o", "rw", "-o", "ro"}).fs.read_only);
}

TEST(MountOptionsTest, EscapedCommaStaysInValue) {
  EXPECT_EQ(ParseOk({"b", "/m", "-o", "use_cache=/tmp/a\\,b"}).fs.cache_dir, "/tmp/a,b");
}

TEST(MountOptionsTest, DevFdMountpointIsKept) { EXPECT_EQ(ParseOk({"b", "/dev/fd/7"}).mountpoint, "/dev/fd/7"); }

TEST(MountOptionsTest, ApplyOptionListAlone) {
  MountOptions o;
  EXPECT_TRUE(ApplyOptionList("uid=5,,gid=6", o).ok());
  EXPECT_EQ(o.fs.uid, 5u);
  EXPECT_EQ(o.fs.gid, 6u);
  EXPECT_FALSE(ApplyOptionList("bogus", o).ok());
}

TEST(MountOptionsTest, OptionTableHasUniqueNamesAndHelp) {
  std::vector<std::string_view> names;
  for (const auto& spec : OptionTable()) {
    EXPECT_FALSE(spec.help.empty()) << spec.name;
    EXPECT_FALSE(spec.section.empty()) << spec.name;
    EXPECT_EQ(spec.kind == OptionSpec::Kind::kValue, !spec.value_hint.empty()) << spec.name;
    names.push_back(spec.name);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

TEST(MountOptionsTest, HelpListsEveryOption) {
  const std::string help = HelpText();
  EXPECT_THAT(help, HasSubstr(UsageLine()));
  for (const auto& spec : OptionTable()) {
    EXPECT_THAT(help, HasSubstr("-o " + std::string(spec.name))) << spec.name;
  }
}

TEST(MountOptionsTest, MetricsOptions) {
  auto parsed = ParseMountOptions({"b", "/mnt", "-o", "metrics_address=127.0.0.1:9464,metrics_file=/run/m.prom"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->metrics_address, "127.0.0.1:9464");
  EXPECT_EQ(parsed->metrics_file, "/run/m.prom");
  EXPECT_TRUE(ParseMountOptions({"b", "/mnt", "-o", "metrics_address=:9464"}).ok());
  for (const char* bad : {"metrics_address=9464", "metrics_address=localhost:9464", "metrics_address=1.2.3.4:x",
                          "metrics_file="}) {
    EXPECT_FALSE(ParseMountOptions({"b", "/mnt", "-o", bad}).ok()) << bad;
  }
}

TEST(MountOptionsTest, ConfigurationDocListsEveryOption) {
  std::ifstream in(S3MOUNT_CONFIGURATION_MD);
  ASSERT_TRUE(in.good()) << S3MOUNT_CONFIGURATION_MD;
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string doc = buf.str();
  const auto section = doc.find("## s3mount options");
  ASSERT_NE(section, std::string::npos);
  const std::string body = doc.substr(section);
  for (const auto& spec : OptionTable()) {
    EXPECT_THAT(body, HasSubstr("`" + std::string(spec.name) + "`")) << "docs/CONFIGURATION.md lacks " << spec.name;
  }
}

TEST(SseKeyFileTest, RawAndBase64Keys) {
  const std::string raw(32, 'k');
  auto key = ParseSseCustomerKeyFile("# comment\n\n  " + raw + "  \nsecond-key-ignored\n");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(*key, raw);
  // base64 of 32 bytes 0x00..0x1f.
  key = ParseSseCustomerKeyFile("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  ASSERT_EQ(key->size(), 32u);
  for (size_t i = 0; i < 32; ++i) EXPECT_EQ(static_cast<unsigned char>((*key)[i]), i);
}

TEST(SseKeyFileTest, BadKeysDoNotEchoTheKey) {
  auto key = ParseSseCustomerKeyFile("short-secret\n");
  ASSERT_FALSE(key.ok());
  EXPECT_THAT(key.status().message(), Not(HasSubstr("short-secret")));
  EXPECT_FALSE(ParseSseCustomerKeyFile("# only a comment\n").ok());
  EXPECT_FALSE(ParseSseCustomerKeyFile(std::string(40, '!')).ok());
  EXPECT_FALSE(ParseSseCustomerKeyFile("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8fHx8=").ok());  // 35 bytes
}

TEST(SseKeyFileTest, LoadOptionFilesChecksModeAndReadsKey) {
  char path[] = "/tmp/s3mount-ssekey-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string raw(32, 'z');
  ASSERT_EQ(write(fd, raw.data(), raw.size()), 32);
  close(fd);
  auto o = ParseOk({"b", "/m", "-o", std::string("use_sse=custom:") + path});
  ASSERT_EQ(chmod(path, 0644), 0);
  auto status = LoadOptionFiles(o);
  EXPECT_THAT(status.message(), HasSubstr("chmod 600"));
  ASSERT_EQ(chmod(path, 0600), 0);
  status = LoadOptionFiles(o);
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(o.fs.write_options.sse.customer_key, raw);
  unlink(path);
  EXPECT_FALSE(LoadOptionFiles(o).ok());  // gone
  MountOptions none;
  EXPECT_TRUE(LoadOptionFiles(none).ok());
}

}  // namespace
}  // namespace mounter::cli
