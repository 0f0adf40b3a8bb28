#include "s3core/credentials/default_chain.h"

#include "s3core/credentials/container_provider.h"
#include "s3core/credentials/environment_provider.h"
#include "s3core/credentials/imds_provider.h"
#include "s3core/credentials/passwd_file_provider.h"
#include "s3core/credentials/profile_provider.h"
#include "s3core/credentials/shared_config.h"
#include "s3core/credentials/web_identity_provider.h"

namespace s3core {

namespace {

using Step = DefaultCredentialsChain::Step;

std::function<bool()> Always() {
  return [] { return true; };
}

// A provider that only reports an error (a step configured in a way we must refuse).
class FailingProvider final : public CredentialsProvider {
 public:
  explicit FailingProvider(std::string message) : message_(std::move(message)) {}
  Result<Credentials> Get() override { return Status::Error(ErrorKind::kCredentials, message_); }

 private:
  std::string message_;
};

}  // namespace

std::vector<Step> DefaultCredentialsChain::BuildSteps(const DefaultCredentialsChainOptions& options) {
  const Environment& env = options.env;
  auto cached = [&options](std::shared_ptr<CredentialsProvider> provider) -> std::shared_ptr<CredentialsProvider> {
    return std::make_shared<CachingCredentialsProvider>(std::move(provider), options.caching, options.env.now);
  };
  std::vector<Step> steps;

  if (options.anonymous) {
    Credentials none;
    none.source = "anonymous";
    steps.push_back({"anonymous", Always(), std::make_shared<StaticCredentialsProvider>(none)});
    return steps;  // an explicit choice: nothing else is consulted
  }

  if (!options.access_key_id.empty() || !options.secret_access_key.empty()) {
    std::shared_ptr<CredentialsProvider> provider;
    if (options.access_key_id.empty() || options.secret_access_key.empty()) {
      provider = std::make_shared<FailingProvider>("explicit credentials need both an access key id and a secret key");
    } else {
      Credentials keys;
      keys.access_key_id = options.access_key_id;
      keys.secret_access_key = options.secret_access_key;
      keys.session_token = options.session_token;
      keys.source = "static";
      provider = std::make_shared<StaticCredentialsProvider>(std::move(keys));
    }
    steps.push_back({"static", Always(), std::move(provider)});
  }

  if (!options.passwd_file.empty()) {
    steps.push_back({"passwd-file:" + options.passwd_file, Always(),
                     cached(std::make_shared<PasswdFileCredentialsProvider>(env, options.passwd_file, options.bucket))});
  }

  auto env_provider = std::make_shared<EnvironmentCredentialsProvider>(env);
  steps.push_back({"env", [env_provider] { return env_provider->IsConfigured(); }, cached(env_provider)});

  if (auto file = env.Get("AWS_CREDENTIAL_FILE")) {
    steps.push_back({"passwd-file:" + *file + " (AWS_CREDENTIAL_FILE)", Always(),
                     cached(std::make_shared<PasswdFileCredentialsProvider>(env, *file, options.bucket))});
  }

  if (auto web = WebIdentityOptions::FromEnvironment(env, ProfileRegion(env, options.profile).value_or(""))) {
    steps.push_back({"web-identity", Always(),
                     cached(std::make_shared<WebIdentityCredentialsProvider>(*web, options.http, env.now))});
  }

  auto profile = std::make_shared<ProfileCredentialsProvider>(env, options.profile, options.http);
  steps.push_back({"profile:" + profile->profile(), [profile] { return profile->IsConfigured(); }, cached(profile)});

  auto passwd = std::make_shared<PasswdFileCredentialsProvider>(env, "", options.bucket);
  steps.push_back({"passwd-file ($HOME/.passwd-s3fs, /etc/passwd-s3fs)", [passwd] { return passwd->IsConfigured(); },
                   cached(passwd)});

  if (auto container = ContainerOptions::FromEnvironment(env)) {
    steps.push_back({"container", Always(),
                     cached(std::make_shared<ContainerCredentialsProvider>(*container, options.http))});
  }

  ImdsOptions imds = ImdsOptions::FromEnvironment(env);
  if (!imds.disabled && options.imds_http) {
    steps.push_back({"imds", Always(), cached(std::make_shared<ImdsCredentialsProvider>(imds, options.imds_http))});
  }
  return steps;
}

DefaultCredentialsChain::DefaultCredentialsChain(DefaultCredentialsChainOptions options)
    : steps_(BuildSteps(options)) {}

DefaultCredentialsChain::DefaultCredentialsChain(std::vector<Step> steps) : steps_(std::move(steps)) {}

std::vector<std::string> DefaultCredentialsChain::StepNames() const {
  std::vector<std::string> names;
  for (const Step& step : steps_) names.push_back(step.name);
  return names;
}

std::string DefaultCredentialsChain::ChosenStep() const {
  const Step* step = Chosen();
  return step ? step->name : "";
}

const DefaultCredentialsChain::Step* DefaultCredentialsChain::Chosen() const {
  std::lock_guard<std::mutex> lock(mu_);
  return chosen_;
}

namespace {

Result<Credentials> AskStep(const Step& step) {
  Result<Credentials> result = step.provider->Get();
  if (result.ok()) return result;
  return Status::Error(ErrorKind::kCredentials,
                       "credentials from " + step.name + " failed: " + result.status().message());
}

}  // namespace

Result<Credentials> DefaultCredentialsChain::Get() {
  // Steps live as long as the chain and their providers are thread-safe: no lock while asking.
  if (const Step* step = Chosen()) return AskStep(*step);
  std::lock_guard<std::mutex> walk(walk_mu_);
  if (const Step* step = Chosen()) return AskStep(*step);  // another thread walked meanwhile

  std::string skipped;
  for (const Step& step : steps_) {
    if (step.configured && !step.configured()) {
      skipped += (skipped.empty() ? "" : ", ") + step.name;
      continue;
    }
    Result<Credentials> result = AskStep(step);
    if (result.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      chosen_ = &step;
      return result;
    }
    if (skipped.empty()) return result;
    return Status::Error(ErrorKind::kCredentials,
                         result.status().message() + " (not configured before it: " + skipped + ")");
  }
  return Status::Error(
      ErrorKind::kCredentials,
      "no credentials found; looked at: " + (skipped.empty() ? std::string("nothing") : skipped) +
          ". Give access keys (options or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), an s3fs passwd file, "
          "an AWS profile, a web identity or container role, or choose anonymous access for a public bucket");
}

}  // namespace s3core
