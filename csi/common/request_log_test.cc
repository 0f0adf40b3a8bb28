#include "csi/common/request_log.h"

#include <gtest/gtest.h>

#include "csi/proto/csi.pb.h"

namespace s3csi {
namespace {

TEST(RequestLogTest, RedactsSecretsButKeepsTheRest) {
  csi::v1::CreateVolumeRequest request;
  request.set_name("pvc-1");
  (*request.mutable_parameters())["bucket"] = "shared";
  (*request.mutable_secrets())["accessKeyID"] = "AKIDVISIBLEID";
  (*request.mutable_secrets())["secretAccessKey"] = "TOPSECRETVALUE";
  const std::string text = RedactedText(request);
  EXPECT_NE(text.find("pvc-1"), std::string::npos) << text;
  EXPECT_NE(text.find("shared"), std::string::npos) << text;
  EXPECT_NE(text.find("secretAccessKey"), std::string::npos) << text;  // keys stay
  EXPECT_EQ(text.find("TOPSECRETVALUE"), std::string::npos) << text;
  EXPECT_EQ(text.find("AKIDVISIBLEID"), std::string::npos) << text;
  // The original is untouched.
  EXPECT_EQ(request.secrets().at("secretAccessKey"), "TOPSECRETVALUE");
}

TEST(RequestLogTest, RedactsEveryRequestWithSecrets) {
  csi::v1::NodePublishVolumeRequest publish;
  publish.set_target_path("/var/lib/kubelet/pods/x/mount");
  (*publish.mutable_secrets())["sessionToken"] = "TOKENVALUE";
  EXPECT_EQ(RedactedText(publish).find("TOKENVALUE"), std::string::npos);
  csi::v1::DeleteVolumeRequest del;
  (*del.mutable_secrets())["secretAccessKey"] = "DELSECRET";
  EXPECT_EQ(RedactedText(del).find("DELSECRET"), std::string::npos);
  csi::v1::ValidateVolumeCapabilitiesRequest validate;
  (*validate.mutable_secrets())["secretAccessKey"] = "VALSECRET";
  EXPECT_EQ(RedactedText(validate).find("VALSECRET"), std::string::npos);
}

TEST(RequestLogTest, EveryMapNamedSecretsIsMarked) {
  // A new message in csi.proto must not forget the option: walk the whole file.
  const auto* file = csi::v1::CreateVolumeRequest::descriptor()->file();
  int checked = 0;
  for (int i = 0; i < file->message_type_count(); ++i) {
    const auto* message = file->message_type(i);
    for (int f = 0; f < message->field_count(); ++f) {
      const auto* field = message->field(f);
      if (field->name() == "secrets") {
        EXPECT_TRUE(field->options().GetExtension(csi::v1::csi_secret)) << message->full_name();
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 10);
}

}  // namespace
}  // namespace s3csi
