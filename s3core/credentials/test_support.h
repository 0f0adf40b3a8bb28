// Test helpers for the credential providers: a temporary directory and a scripted HttpClient.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "s3core/body.h"
#include "s3core/http/http_client.h"

namespace s3core::testing_support {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/s3core-creds-XXXXXX";
    char* made = ::mkdtemp(templ.data());
    if (made != nullptr) path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // Writes `content` to path()/relative (creating directories) with permission bits `mode`.
  std::string Write(const std::string& relative, const std::string& content, mode_t mode = 0600) const {
    std::filesystem::path full = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(full.parent_path());
    {
      std::ofstream out(full, std::ios::binary | std::ios::trunc);
      out << content;
    }
    ::chmod(full.c_str(), mode);
    return full.string();
  }

 private:
  std::string path_;
};

// An HttpClient that answers from a script and records every request.
class FakeHttpClient final : public HttpClient {
 public:
  struct Recorded {
    std::string method;
    std::string url;
    Headers headers;
    std::string body;

    std::string Header(const std::string& name) const {
      for (const auto& [key, value] : headers) {
        if (key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
              return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            })) {
          return value;
        }
      }
      return "";
    }
    bool HasHeader(const std::string& name) const {
      for (const auto& header : headers) {
        if (header.first == name) return true;
      }
      return false;
    }
  };

  // Answers for "METHOD URL", used in order; the last one repeats.
  void Respond(const std::string& method, const std::string& url, int status, std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    routes_[method + " " + url].push_back(HttpResponse{status, {}, std::move(body)});
  }
  void Fail(const std::string& method, const std::string& url, Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    routes_[method + " " + url].push_back(std::move(status));
  }

  Result<HttpResponse> Send(const HttpRequest& request, BodySink* sink) override {
    Recorded recorded{request.method, request.url, request.headers, ""};
    if (request.body != nullptr) {
      char buf[4096];
      for (;;) {
        Result<size_t> n = request.body->Read(buf, sizeof(buf));
        if (!n.ok() || *n == 0) break;
        recorded.body.append(buf, *n);
      }
    }
    Result<HttpResponse> answer = Status::Internal("unset");
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(recorded);
      auto it = routes_.find(request.method + " " + request.url);
      if (it == routes_.end() || it->second.empty()) {
        answer = HttpResponse{404, {}, "no route for " + request.method + " " + request.url};
      } else {
        answer = it->second.size() > 1 ? Take(it->second) : Copy(it->second.front());
      }
    }
    if (!answer.ok()) return answer;
    HttpResponse response = std::move(answer).value();
    if (sink != nullptr && response.status >= 200 && response.status < 300) {
      Status written = sink->Write(response.body.data(), response.body.size());
      if (!written.ok()) return written;
      response.body.clear();
    }
    return response;
  }

  std::vector<Recorded> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  using Answer = std::variant<HttpResponse, Status>;
  static Result<HttpResponse> Copy(const Answer& answer) {
    if (std::holds_alternative<Status>(answer)) return std::get<Status>(answer);
    return std::get<HttpResponse>(answer);
  }
  static Result<HttpResponse> Take(std::deque<Answer>& answers) {
    Result<HttpResponse> out = Copy(answers.front());
    answers.pop_front();
    return out;
  }

  mutable std::mutex mu_;
  std::map<std::string, std::deque<Answer>> routes_;
  std::vector<Recorded> requests_;
};

}  // namespace s3core::testing_support
