#include "csi/common/request_log.h"

#include <memory>

#include "csi/proto/csi.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/text_format.h"

namespace s3csi {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr const char* kRedacted = "***";

void Redact(Message& message) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const bool secret = field->options().GetExtension(csi::v1::csi_secret);
    if (field->is_map()) {
      // A map is a repeated message of entries: key = field 1, value = field 2.
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        Message* entry = reflection->MutableRepeatedMessage(&message, field, i);
        const FieldDescriptor* value = entry->GetDescriptor()->FindFieldByNumber(2);
        if (secret && value->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          entry->GetReflection()->SetString(entry, value, kRedacted);
        } else if (value->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          Redact(*entry->GetReflection()->MutableMessage(entry, value));
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          Redact(*reflection->MutableRepeatedMessage(&message, field, i));
        }
      } else if (secret) {
        reflection->ClearField(&message, field);
      } else {
        Redact(*reflection->MutableMessage(&message, field));
      }
    } else if (secret && field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          reflection->SetRepeatedString(&message, field, i, kRedacted);
        }
      } else {
        reflection->SetString(&message, field, kRedacted);
      }
    } else if (secret) {
      reflection->ClearField(&message, field);
    }
  }
}

}  // namespace

std::string RedactedText(const Message& message) {
  std::unique_ptr<Message> copy(message.New());
  copy->CopyFrom(message);
  Redact(*copy);
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.SetUseUtf8StringEscaping(true);
  std::string out;
  printer.PrintToString(*copy, &out);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace s3csi
