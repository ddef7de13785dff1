using System;
using System.Collections.Generic;
using System.Globalization;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using FmsTools.Aws.Runtime;

namespace FmsTools.Aws
{
    /// <summary>
    /// Builds sessions from <see cref="AwsConnectionOptions"/> with the precedence AWS users expect. Credentials first (a
    /// profile that does not exist is reported as itself, before anything else), then the Region, then the endpoint of
    /// every service (<see cref="AwsEndpointConfiguration"/>). Credentials that need a call (AssumeRole, web identity, SSO,
    /// credential_process) are obtained at the first call that signs with them, through the session's own endpoints,
    /// retries and observer.
    /// </summary>
    public static class AwsSessionFactory
    {
        public static AwsSession Create(AwsConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            options = options.Copy();
            string? region = null;
            IReadOnlyDictionary<string, AwsEndpointChoice>? endpoints = null;
            var context = new AwsCredentialContext(options,
                () => region ?? throw new AwsConfigurationException("No AWS region is set for the credential call.", "Region"),
                new LazyEndpoints(() => endpoints ?? throw new InvalidOperationException("Endpoints are resolved before any call.")));
            var credentials = ResolveCredentials(options, context);
            try
            {
                region = ResolveRegion(options);
                endpoints = AwsEndpointConfiguration.ResolveAll(options);
                return new AwsSession(options, credentials.Credentials, region, accountId: null, root: null, endpoints,
                    credentials.Description, credentials.Owned);
            }
            catch
            {
                if (credentials.Owned) (credentials.Credentials as IDisposable)?.Dispose();
                throw;
            }
        }

        /// <summary>options.Region &gt; AWS_REGION &gt; AWS_DEFAULT_REGION &gt; the region of the profile in use.</summary>
        public static string ResolveRegion(AwsConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var region = NonEmpty(options.Region) ?? NonEmpty(options.Environment("AWS_REGION")) ?? NonEmpty(options.Environment("AWS_DEFAULT_REGION"));
            var profileName = ProfileNameInUse(options);
            if (region == null)
            {
                var chain = new CredentialProfileStoreChain(options.ProfilesLocation);
                if (TryGetProfile(chain, profileName, out var profile) && profile!.Region != null)
                    region = profile.Region.SystemName;
            }
            if (region == null)
            {
                throw new AwsConfigurationException(
                    "No AWS region is set. Pass -Region (e.g. -Region us-east-1), set the AWS_REGION environment variable, "
                    + $"or add 'region = <name>' to the profile '{profileName}' in the AWS config file.", "Region");
            }
            return region.Trim();
        }

        /// <summary>
        /// True when <see cref="ResolveCredentials(AwsConnectionOptions)"/> finds credentials for <paramref name="options"/>;
        /// false when none are configured anywhere or the configured ones cannot be used.
        /// </summary>
        public static bool CanResolveCredentials(AwsConnectionOptions options)
        {
            try
            {
                var resolved = ResolveCredentials(options, new AwsCredentialContext(options, () => "us-east-1", new LazyEndpoints(() => AwsEndpointConfiguration.ResolveAll(options))));
                if (resolved.Owned) (resolved.Credentials as IDisposable)?.Dispose();
                return true;
            }
            catch (Exception e) when (e is AwsConfigurationException || e is AwsCredentialException)
            {
                return false;
            }
        }

        /// <summary>Credentials &gt; access keys &gt; ProfileName &gt; AWS_* variables &gt; AWS_PROFILE/default profile &gt; web identity &gt; container and instance credentials.</summary>
        public static AWSCredentials ResolveCredentials(AwsConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            return ResolveCredentials(options, new AwsCredentialContext(options, () => ResolveRegion(options),
                new LazyEndpoints(() => AwsEndpointConfiguration.ResolveAll(options)))).Credentials;
        }

        internal static AwsResolvedCredentials ResolveCredentials(AwsConnectionOptions options, AwsCredentialContext context)
        {
            if (options.Credentials != null)
                return new AwsResolvedCredentials(options.Credentials.Credentials, options.Credentials.ToString(), owned: false);

            var accessKey = NonEmpty(options.AccessKey);
            var secretKey = NonEmpty(options.SecretKey);
            if (accessKey != null || secretKey != null)
            {
                if (accessKey == null || secretKey == null)
                    throw new AwsConfigurationException("Both an access key and a secret key are needed: pass -AccessKey together with -SecretKey.",
                        accessKey == null ? "AccessKey" : "SecretKey");
                return Static(accessKey, secretKey, NonEmpty(options.SessionToken), "access key " + AwsKeyText.Masked(accessKey) + " (-AccessKey)");
            }

            var profiles = new ProfileCredentials(options, context);
            if (NonEmpty(options.ProfileName) != null)
                return profiles.Resolve(options.ProfileName!.Trim(), "-ProfileName", mustExist: true)!;

            var envAccessKey = NonEmpty(options.Environment("AWS_ACCESS_KEY_ID"));
            var envSecretKey = NonEmpty(options.Environment("AWS_SECRET_ACCESS_KEY"));
            if (envAccessKey != null && envSecretKey != null)
                return Static(envAccessKey, envSecretKey, NonEmpty(options.Environment("AWS_SESSION_TOKEN")),
                    "access key " + AwsKeyText.Masked(envAccessKey) + " (AWS_ACCESS_KEY_ID)");

            var envProfile = NonEmpty(options.Environment("AWS_PROFILE"));
            var fromProfile = envProfile != null
                ? profiles.Resolve(envProfile.Trim(), "AWS_PROFILE", mustExist: true)
                : profiles.Resolve(SharedCredentialsFile.DefaultProfileName, "the default profile", mustExist: false);
            if (fromProfile != null) return fromProfile;

            var tokenFile = NonEmpty(options.Environment("AWS_WEB_IDENTITY_TOKEN_FILE"));
            var roleArn = NonEmpty(options.Environment("AWS_ROLE_ARN"));
            if (tokenFile != null && roleArn != null)
            {
                var sessionName = NonEmpty(options.Environment("AWS_ROLE_SESSION_NAME")) ?? DefaultSessionName();
                return new AwsResolvedCredentials(new WebIdentityCredentials(context, roleArn.Trim(), tokenFile.Trim(), sessionName, "AWS_WEB_IDENTITY_TOKEN_FILE"),
                    $"role {roleArn.Trim()} assumed with the web identity token of AWS_WEB_IDENTITY_TOKEN_FILE", owned: true);
            }

            try
            {
                // ECS/EKS container credentials, EC2 instance profile.
                var fallback = options.DefaultCredentialChain();
                return new AwsResolvedCredentials(fallback, "the AWS SDK's default chain (" + fallback.GetType().Name + ")", owned: false);
            }
            catch (AmazonClientException e)
            {
                throw new AwsConfigurationException(
                    "No AWS credentials found. Pass -AccessKey and -SecretKey, or -ProfileName with a profile from the AWS config or credentials file, "
                    + "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or run where container or instance credentials are available. "
                    + "The AWS SDK reported: " + e.Message, "Credentials", e);
            }
        }

        /// <summary>The profile whose settings apply: -ProfileName, else AWS_PROFILE, else default.</summary>
        public static string ProfileNameInUse(AwsConnectionOptions options)
            => NonEmpty(options.ProfileName)?.Trim() ?? NonEmpty(options.Environment("AWS_PROFILE"))?.Trim() ?? SharedCredentialsFile.DefaultProfileName;

        internal static string DescribeLocations(AwsConnectionOptions options)
        {
            var places = new List<string>();
            places.Add(NonEmpty(options.ProfilesLocation) ?? NonEmpty(options.Environment("AWS_SHARED_CREDENTIALS_FILE")) ?? "~/.aws/credentials");
            places.Add(NonEmpty(options.Environment("AWS_CONFIG_FILE")) ?? "~/.aws/config");
            places.Add("the .NET SDK credential store");
            return string.Join(", ", places);
        }

        internal static bool TryGetProfile(CredentialProfileStoreChain chain, string name, out CredentialProfile? profile)
        {
            try
            {
                var found = chain.TryGetProfile(name, out var value);
                profile = value;
                return found;
            }
            catch (Exception e) when (e is AmazonClientException || e is InvalidOperationException || e is ArgumentException || e is FormatException)
            {
                var missingSession = e.Message.IndexOf("sso_session", StringComparison.OrdinalIgnoreCase) >= 0;
                throw new AwsCredentialException(missingSession ? "SsoSessionNotFound" : "ProfileInvalid",
                    $"The AWS profile '{name}' cannot be read: {e.Message}", isNotFound: missingSession, setting: name, innerException: e);
            }
        }

        internal static AwsResolvedCredentials Static(string accessKey, string secretKey, string? token, string description)
            => new AwsResolvedCredentials(token == null ? new BasicAWSCredentials(accessKey, secretKey) : (AWSCredentials)new SessionAWSCredentials(accessKey, secretKey, token),
                description, owned: false);

        internal static string DefaultSessionName() => "fmstools-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

        internal static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

        /// <summary>The endpoints, read when the first credential call needs them (after the session resolved them).</summary>
        private sealed class LazyEndpoints : IReadOnlyDictionary<string, AwsEndpointChoice>
        {
            private readonly Lazy<IReadOnlyDictionary<string, AwsEndpointChoice>> _value;

            public LazyEndpoints(Func<IReadOnlyDictionary<string, AwsEndpointChoice>> read) { _value = new Lazy<IReadOnlyDictionary<string, AwsEndpointChoice>>(read); }

            public AwsEndpointChoice this[string key] => _value.Value[key];
            public IEnumerable<string> Keys => _value.Value.Keys;
            public IEnumerable<AwsEndpointChoice> Values => _value.Value.Values;
            public int Count => _value.Value.Count;
            public bool ContainsKey(string key) => _value.Value.ContainsKey(key);
            public bool TryGetValue(string key, out AwsEndpointChoice value) => _value.Value.TryGetValue(key, out value!);
            public IEnumerator<KeyValuePair<string, AwsEndpointChoice>> GetEnumerator() => _value.Value.GetEnumerator();
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }

    /// <summary>
    /// Credentials of a named profile, resolved the way the AWS CLI and SDKs do, with every call FmsTools makes: role_arn
    /// with source_profile (role chaining, to any depth) or credential_source, role_arn with web_identity_token_file,
    /// IAM Identity Center (sso_session or sso_start_url), static keys, then credential_process. Profiles are read
    /// through the SDK's profile store.
    /// </summary>
    internal sealed class ProfileCredentials
    {
        private readonly AwsConnectionOptions _options;
        private readonly AwsCredentialContext _context;
        private readonly CredentialProfileStoreChain _chain;

        public ProfileCredentials(AwsConnectionOptions options, AwsCredentialContext context)
        {
            _options = options;
            _context = context;
            _chain = new CredentialProfileStoreChain(options.ProfilesLocation);
        }

        /// <summary>
        /// The profile's credentials; null when it does not exist or holds no credentials and <paramref name="mustExist"/>
        /// is false. <paramref name="origin"/> says who named it (-ProfileName, AWS_PROFILE, ...).
        /// </summary>
        public AwsResolvedCredentials? Resolve(string name, string origin, bool mustExist)
        {
            if (!AwsSessionFactory.TryGetProfile(_chain, name, out var profile))
            {
                if (!mustExist) return null;
                throw new AwsCredentialException("ProfileNotFound",
                    $"The AWS profile '{name}' ({origin}) was not found in {AwsSessionFactory.DescribeLocations(_options)}. "
                    + $"Check the name, or create it with 'aws configure --profile {name}'.", isNotFound: true, setting: name);
            }
            var resolved = FromProfile(profile!, new List<string>());
            if (resolved == null && mustExist)
            {
                throw new AwsCredentialException("ProfileHasNoCredentials",
                    $"The AWS profile '{name}' ({origin}) exists but has no credentials: no aws_access_key_id/aws_secret_access_key, role_arn with "
                    + "source_profile, credential_source or web_identity_token_file, sso_session or sso_start_url, or credential_process.", setting: name);
            }
            return resolved;
        }

        private AwsResolvedCredentials? FromProfile(CredentialProfile profile, List<string> chained)
        {
            var name = profile.Name;
            var o = profile.Options;
            if (!string.IsNullOrWhiteSpace(o.RoleArn)) return AssumeRole(profile, chained);

            if (!string.IsNullOrWhiteSpace(o.SsoSession) || !string.IsNullOrWhiteSpace(o.SsoStartUrl) || !string.IsNullOrWhiteSpace(o.SsoAccountId))
            {
                var missing = new List<string>();
                if (string.IsNullOrWhiteSpace(o.SsoAccountId)) missing.Add("sso_account_id");
                if (string.IsNullOrWhiteSpace(o.SsoRoleName)) missing.Add("sso_role_name");
                if (string.IsNullOrWhiteSpace(o.SsoStartUrl)) missing.Add("sso_start_url");
                if (string.IsNullOrWhiteSpace(o.SsoRegion)) missing.Add("sso_region");
                if (missing.Count > 0)
                    throw new AwsCredentialException("ProfileInvalid",
                        $"The AWS profile '{name}' signs in with IAM Identity Center but lacks {string.Join(", ", missing)}"
                        + (string.IsNullOrWhiteSpace(o.SsoSession) ? "." : $" (in the profile or its [sso-session {o.SsoSession}])."), setting: name);
                var session = string.IsNullOrWhiteSpace(o.SsoSession) ? null : o.SsoSession.Trim();
                return new AwsResolvedCredentials(
                    new SsoRoleCredentials(_context, name, o.SsoAccountId.Trim(), o.SsoRoleName.Trim(), o.SsoStartUrl.Trim(), o.SsoRegion.Trim(), session),
                    $"profile '{name}': IAM Identity Center role {o.SsoRoleName.Trim()} in account {o.SsoAccountId.Trim()}"
                    + (session == null ? "" : $" (sso-session '{session}')"), owned: true);
            }

            if (!string.IsNullOrWhiteSpace(o.AccessKey) && !string.IsNullOrWhiteSpace(o.SecretKey))
                return AwsSessionFactory.Static(o.AccessKey.Trim(), o.SecretKey.Trim(), AwsSessionFactory.NonEmpty(o.Token)?.Trim(),
                    $"profile '{name}': access key {AwsKeyText.Masked(o.AccessKey.Trim())}");

            if (!string.IsNullOrWhiteSpace(o.CredentialProcess))
                return new AwsResolvedCredentials(new CredentialProcessCredentials(_context, o.CredentialProcess, name),
                    $"profile '{name}': credential_process", owned: true);

            return null;
        }

        private AwsResolvedCredentials AssumeRole(CredentialProfile profile, List<string> chained)
        {
            var name = profile.Name;
            var o = profile.Options;
            var roleArn = o.RoleArn.Trim();
            var sessionName = AwsSessionFactory.NonEmpty(o.RoleSessionName)?.Trim() ?? AwsSessionFactory.DefaultSessionName();
            if (!string.IsNullOrWhiteSpace(o.MfaSerial))
                throw new AwsCredentialException("MfaRequired",
                    $"The AWS profile '{name}' assumes role {roleArn} with MFA (mfa_serial), and FmsTools does not prompt for MFA codes. "
                    + "Get temporary credentials first (aws sts get-session-token, or a credential_process) and use those.", setting: name);

            if (!string.IsNullOrWhiteSpace(o.WebIdentityTokenFile))
                return new AwsResolvedCredentials(new WebIdentityCredentials(_context, roleArn, o.WebIdentityTokenFile.Trim(), sessionName, $"profile '{name}'"),
                    $"profile '{name}': role {roleArn} assumed with the web identity token in {o.WebIdentityTokenFile.Trim()}", owned: true);

            AWSCredentials source;
            string sourceText;
            var sourceProfile = AwsSessionFactory.NonEmpty(o.SourceProfile)?.Trim();
            if (sourceProfile != null)
            {
                if (string.Equals(sourceProfile, name, StringComparison.Ordinal))
                {
                    if (string.IsNullOrWhiteSpace(o.AccessKey) || string.IsNullOrWhiteSpace(o.SecretKey))
                        throw new AwsCredentialException("ProfileInvalid",
                            $"The AWS profile '{name}' names itself as source_profile but has no aws_access_key_id and aws_secret_access_key.", setting: name);
                    var own = AwsSessionFactory.Static(o.AccessKey.Trim(), o.SecretKey.Trim(), AwsSessionFactory.NonEmpty(o.Token)?.Trim(),
                        $"its own access key {AwsKeyText.Masked(o.AccessKey.Trim())}");
                    source = own.Credentials;
                    sourceText = own.Description;
                }
                else
                {
                    var path = new List<string>(chained) { name };
                    if (path.Contains(sourceProfile))
                        throw new AwsCredentialException("ProfileCycle",
                            $"The AWS profiles chain back to themselves: {string.Join(" -> ", path)} -> {sourceProfile} (source_profile).", setting: name);
                    if (!AwsSessionFactory.TryGetProfile(_chain, sourceProfile, out var sourceDefinition))
                        throw new AwsCredentialException("SourceProfileNotFound",
                            $"The AWS profile '{name}' takes its source credentials from profile '{sourceProfile}' (source_profile), which was not found in "
                            + AwsSessionFactory.DescribeLocations(_options) + ".", isNotFound: true, setting: sourceProfile);
                    var inner = FromProfile(sourceDefinition!, path)
                                ?? throw new AwsCredentialException("ProfileHasNoCredentials",
                                    $"The AWS profile '{sourceProfile}', the source_profile of '{name}', has no credentials.", setting: sourceProfile);
                    source = inner.Credentials;
                    sourceText = inner.Description;
                }
            }
            else if (!string.IsNullOrWhiteSpace(o.CredentialSource))
            {
                switch (o.CredentialSource.Trim().ToLowerInvariant())
                {
                    case "environment":
                        var key = AwsSessionFactory.NonEmpty(_options.Environment("AWS_ACCESS_KEY_ID"));
                        var secret = AwsSessionFactory.NonEmpty(_options.Environment("AWS_SECRET_ACCESS_KEY"));
                        if (key == null || secret == null)
                            throw new AwsCredentialException("CredentialSourceUnavailable",
                                $"The AWS profile '{name}' takes its source credentials from the environment (credential_source = Environment), "
                                + "and AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set.", setting: name);
                        source = AwsSessionFactory.Static(key, secret, AwsSessionFactory.NonEmpty(_options.Environment("AWS_SESSION_TOKEN")), "").Credentials;
                        sourceText = "access key " + AwsKeyText.Masked(key) + " (AWS_ACCESS_KEY_ID)";
                        break;
                    case "ec2instancemetadata":
                        source = new InstanceProfileAWSCredentials();
                        sourceText = "the EC2 instance profile";
                        break;
                    case "ecscontainer":
                        source = new GenericContainerCredentials();
                        sourceText = "the container credentials";
                        break;
                    default:
                        throw new AwsCredentialException("ProfileInvalid",
                            $"The AWS profile '{name}' has credential_source = {o.CredentialSource.Trim()}; the sources are Environment, Ec2InstanceMetadata and EcsContainer.",
                            setting: name);
                }
            }
            else
            {
                throw new AwsCredentialException("ProfileInvalid",
                    $"The AWS profile '{name}' has role_arn but neither source_profile, credential_source nor web_identity_token_file to assume it with.", setting: name);
            }

            return new AwsResolvedCredentials(
                new AssumeRoleCredentials(_context, source, roleArn, sessionName, AwsSessionFactory.NonEmpty(o.ExternalID)?.Trim(), null, name),
                $"profile '{name}': role {roleArn} assumed with {sourceText}", owned: true);
        }
    }
}
