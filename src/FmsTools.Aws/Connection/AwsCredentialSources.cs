using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal;
using Amazon.Runtime.SharedInterfaces;
using Amazon.Util;
using Amazon.Util.Internal;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Runtime.Pipeline;

namespace FmsTools.Aws
{
    /// <summary>Receives a line for each credential step that is not an AWS call (a credential_process run, an SSO token read).</summary>
    public interface IAwsCredentialObserver
    {
        void OnCredentialStep(string text);
    }

    /// <summary>
    /// What the credential calls of a session share with its service calls: the session's Region, the endpoint chosen for
    /// each service (<see cref="AwsEndpointConfiguration"/>), retries, timeout and the observer that turns every call into
    /// a -Verbose line.
    /// </summary>
    internal sealed class AwsCredentialContext
    {
        private readonly Func<string> _region;

        public AwsCredentialContext(AwsConnectionOptions options, Func<string> region, IReadOnlyDictionary<string, AwsEndpointChoice> endpoints)
        {
            Options = options;
            _region = region;
            Endpoints = endpoints;
        }

        public AwsConnectionOptions Options { get; }

        public IReadOnlyDictionary<string, AwsEndpointChoice> Endpoints { get; }

        public string Region => _region();

        public AwsEndpointChoice Endpoint(string serviceId) => Endpoints[serviceId];

        /// <summary>Invoker settings for one service in <paramref name="region"/> (the session's Region when null).</summary>
        public AwsInvokerSettings SettingsFor(string serviceId, string? region = null) => new AwsInvokerSettings
        {
            Region = region ?? Region,
            EndpointUrl = Endpoints[serviceId].Url?.ToString(),
            UseFips = Options.UseFips,
            UseDualStack = Options.UseDualStack,
            RetryMode = Options.RetryMode,
            MaxAttempts = Options.MaxAttempts,
            Timeout = Options.Timeout,
            Observer = Options.Observer,
            RetryTiming = Options.RetryTiming,
        };

        public void Note(string text) => (Options.Observer as IAwsCredentialObserver)?.OnCredentialStep(text);
    }

    /// <summary>Credentials resolved for a session and a description of where they come from (never a secret).</summary>
    internal sealed class AwsResolvedCredentials
    {
        public AwsResolvedCredentials(AWSCredentials credentials, string description, bool owned)
        {
            Credentials = credentials;
            Description = description;
            Owned = owned;
        }

        public AWSCredentials Credentials { get; }

        /// <summary>"profile 'dev': role arn:aws:iam::...:role/Admin assumed with profile 'base' (static keys)".</summary>
        public string Description { get; }

        /// <summary>True when the session created them (and disposes them); false for credentials the caller handed in.</summary>
        public bool Owned { get; }
    }

    /// <summary>Base of the credentials FmsTools obtains by a call: refreshes ahead of expiry and resolves the source first.</summary>
    internal abstract class CallingCredentials : RefreshingAWSCredentials
    {
        protected CallingCredentials(AwsCredentialContext context)
        {
            Context = context;
            PreemptExpiryTime = TimeSpan.FromMinutes(5);
        }

        protected AwsCredentialContext Context { get; }

        protected override CredentialsRefreshState GenerateNewCredentials() => GenerateNewCredentialsAsync().GetAwaiter().GetResult();

        protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
        {
            var (credentials, expiration) = await ObtainAsync().ConfigureAwait(false);
            return new CredentialsRefreshState(credentials, expiration);
        }

        protected abstract Task<(ImmutableCredentials Credentials, DateTime ExpirationUtc)> ObtainAsync();

        /// <summary>Resolves source credentials before a call signs with them, so their own failure is reported as itself.</summary>
        protected static async Task ResolveSourceAsync(AWSCredentials source)
        {
            try
            {
                await source.GetCredentialsAsync().ConfigureAwait(false);
            }
            catch (AwsCredentialException)
            {
                throw;
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw new AwsCredentialException("CredentialsUnavailable", "The source credentials could not be obtained: " + e.Message, innerException: e);
            }
        }

        protected static string Describe(Exception e) => e is AwsServiceException service
            ? $"{service.ErrorCode}: {service.Message}{(service.RequestId == null ? "" : " (request id " + service.RequestId + ")")}"
            : e.Message;
    }

    /// <summary>sts:AssumeRole with source credentials (role_arn with source_profile or credential_source), through the session's STS endpoint.</summary>
    internal sealed class AssumeRoleCredentials : CallingCredentials
    {
        private readonly AWSCredentials _source;
        private readonly string _roleArn;
        private readonly string _sessionName;
        private readonly string? _externalId;
        private readonly int? _durationSeconds;
        private readonly string _profile;

        public AssumeRoleCredentials(AwsCredentialContext context, AWSCredentials source, string roleArn, string sessionName, string? externalId,
            int? durationSeconds, string profile) : base(context)
        {
            _source = source;
            _roleArn = roleArn;
            _sessionName = sessionName;
            _externalId = externalId;
            _durationSeconds = durationSeconds;
            _profile = profile;
        }

        protected override async Task<(ImmutableCredentials, DateTime)> ObtainAsync()
        {
            await ResolveSourceAsync(_source).ConfigureAwait(false);
            var endpoint = Context.Endpoint(AwsServiceIds.Sts);
            try
            {
                using var sts = new StsClient(_source, Context.SettingsFor(AwsServiceIds.Sts));
                var assumed = await sts.AssumeRoleAsync(new StsAssumeRoleRequest(_roleArn, _sessionName)
                {
                    ExternalId = _externalId,
                    Duration = _durationSeconds.HasValue ? TimeSpan.FromSeconds(_durationSeconds.Value) : (TimeSpan?)null,
                }, CancellationToken.None).ConfigureAwait(false);
                return (assumed.Credentials.GetCredentials(), assumed.ExpirationUtc);
            }
            catch (Exception e) when (e is AwsServiceException || e is AwsTransportException || e is TimeoutException || e is AwsConfigurationException)
            {
                throw new AwsCredentialException("AssumeRoleFailed",
                    $"Profile '{_profile}' could not assume role {_roleArn} through STS at {sts(endpoint)}: {Describe(e)}",
                    setting: _profile, innerException: e);
            }
        }

        private string sts(AwsEndpointChoice endpoint) => endpoint.Url == null ? "sts." + Context.Region + " (AWS)" : AwsEndpointText.Of(endpoint.Url) + " (" + endpoint.Source + ")";
    }

    /// <summary>sts:AssumeRoleWithWebIdentity with a token file (web_identity_token_file, or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN).</summary>
    internal sealed class WebIdentityCredentials : CallingCredentials
    {
        private readonly string _roleArn;
        private readonly string _tokenFile;
        private readonly string _sessionName;
        private readonly string _origin;

        public WebIdentityCredentials(AwsCredentialContext context, string roleArn, string tokenFile, string sessionName, string origin) : base(context)
        {
            _roleArn = roleArn;
            _tokenFile = tokenFile;
            _sessionName = sessionName;
            _origin = origin;
        }

        protected override async Task<(ImmutableCredentials, DateTime)> ObtainAsync()
        {
            string token;
            try
            {
                token = File.ReadAllText(_tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new AwsCredentialException("WebIdentityTokenFileNotFound",
                    $"The web identity token file '{_tokenFile}' ({_origin}) cannot be read: {e.Message}", isNotFound: e is FileNotFoundException || e is DirectoryNotFoundException,
                    setting: _tokenFile, innerException: e);
            }
            if (token.Length == 0)
                throw new AwsCredentialException("WebIdentityFailed", $"The web identity token file '{_tokenFile}' ({_origin}) is empty.", setting: _tokenFile);
            try
            {
                using var sts = new StsClient(new AnonymousAWSCredentials(), Context.SettingsFor(AwsServiceIds.Sts));
                var assumed = await sts.AssumeRoleWithWebIdentityAsync(_roleArn, _sessionName, token, CancellationToken.None).ConfigureAwait(false);
                return (assumed.Credentials.GetCredentials(), assumed.ExpirationUtc);
            }
            catch (Exception e) when (e is AwsServiceException || e is AwsTransportException || e is TimeoutException || e is AwsConfigurationException)
            {
                var endpoint = Context.Endpoint(AwsServiceIds.Sts);
                throw new AwsCredentialException("WebIdentityFailed",
                    $"Assuming role {_roleArn} with the web identity token of {_origin} failed at STS "
                    + (endpoint.Url == null ? "(AWS)" : AwsEndpointText.Of(endpoint.Url) + " (" + endpoint.Source + ")") + ": " + Describe(e),
                    setting: _roleArn, innerException: e);
            }
        }
    }

    /// <summary>credential_process through the SDK's ProcessAWSCredentials, with its failure named and nothing of its output repeated.</summary>
    internal sealed class CredentialProcessCredentials : CallingCredentials
    {
        private readonly ProcessAWSCredentials _process;
        private readonly string _profile;

        public CredentialProcessCredentials(AwsCredentialContext context, string command, string profile) : base(context)
        {
            _process = new ProcessAWSCredentials(command);
            _profile = profile;
        }

        protected override async Task<(ImmutableCredentials, DateTime)> ObtainAsync()
        {
            Context.Note($"Credentials: running the credential_process of profile '{_profile}'.");
            try
            {
                var state = await _process.DetermineProcessCredentialAsync().ConfigureAwait(false);
                var expiration = state.Expiration == DateTime.MinValue || state.Expiration == DateTime.MaxValue
                    ? DateTime.UtcNow.AddYears(10)
                    : state.Expiration.ToUniversalTime();
                Context.Note($"Credentials: the credential_process of profile '{_profile}' returned access key {AwsKeyText.Masked(state.Credentials.AccessKey)}"
                             + (expiration.Year > DateTime.UtcNow.Year + 5 ? "." : $", valid until {expiration.ToString("u", CultureInfo.InvariantCulture)}."));
                return (state.Credentials, expiration);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                // The SDK's messages name the exit code and stderr; its JSON errors do not quote the output, and neither does this.
                throw new AwsCredentialException("CredentialProcessFailed",
                    $"The credential_process of profile '{_profile}' failed: {ProcessFailure(e)}", setting: _profile, innerException: e);
            }
        }

        private static string ProcessFailure(Exception e)
        {
            var message = e.Message;
            // A JSON parse error may quote the process output, which carries the secret: keep only the first sentence.
            if (e is System.Text.Json.JsonException || e.InnerException is System.Text.Json.JsonException)
                return "its output is not the credential_process JSON (Version 1 with AccessKeyId, SecretAccessKey, optional SessionToken and Expiration).";
            return message;
        }
    }

    /// <summary>
    /// IAM Identity Center (SSO) role credentials: the cached token of the sso-session (or legacy start URL) through the
    /// SDK's SSOTokenManager (refreshed through SSO OIDC when it can be), then sso:GetRoleCredentials, both through the
    /// session's endpoint configuration for SSO OIDC and SSO.
    /// </summary>
    internal sealed class SsoRoleCredentials : CallingCredentials
    {
        private readonly string _profile;
        private readonly string _accountId;
        private readonly string _roleName;
        private readonly string _startUrl;
        private readonly string _ssoRegion;
        private readonly string? _ssoSession;

        public SsoRoleCredentials(AwsCredentialContext context, string profile, string accountId, string roleName, string startUrl, string ssoRegion,
            string? ssoSession) : base(context)
        {
            _profile = profile;
            _accountId = accountId;
            _roleName = roleName;
            _startUrl = startUrl;
            _ssoRegion = ssoRegion;
            _ssoSession = ssoSession;
        }

        private string Login => $"aws sso login --profile {_profile}";

        private string TokenName => _ssoSession != null ? $"sso-session '{_ssoSession}'" : $"start URL {_startUrl}";

        protected override async Task<(ImmutableCredentials, DateTime)> ObtainAsync()
        {
            var options = new SSOTokenManagerGetTokenOptions
            {
                StartUrl = _startUrl,
                Region = _ssoRegion,
                Session = _ssoSession,
                SupportsGettingNewToken = false,
            };
            var cache = new SSOTokenFileCache(CryptoUtilFactory.CryptoInstance, new FileRetriever(), new DirectoryRetriever());
            if (!cache.TryGetSsoToken(options, null, out var cached))
                throw new AwsCredentialException("SsoLoginRequired",
                    $"Profile '{_profile}' signs in with IAM Identity Center ({TokenName}), and there is no SSO token for it in the SSO cache. Run '{Login}'.",
                    setting: _profile);

            SsoToken token;
            using (var oidc = new ObservedSsoOidcClient(Context.SettingsFor(AwsServiceIds.SsoOidc, _ssoRegion)))
            {
                try
                {
                    token = await new SSOTokenManager(oidc, cache).GetTokenAsync(options, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    throw new AwsCredentialException("SsoTokenExpired",
                        $"The SSO token of profile '{_profile}' ({TokenName}) expired at {cached.ExpiresAt.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)} "
                        + $"and could not be refreshed ({e.Message}). Run '{Login}'.", setting: _profile, innerException: e);
                }
            }
            Context.Note($"Credentials: SSO token of {TokenName} valid until {token.ExpiresAt.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)}.");

            try
            {
                using var sso = new ObservedSsoClient(Context.SettingsFor(AwsServiceIds.Sso, _ssoRegion));
                var response = await sso.GetRoleCredentialsAsync(new Amazon.SSO.Model.GetRoleCredentialsRequest
                {
                    AccessToken = token.AccessToken,
                    AccountId = _accountId,
                    RoleName = _roleName,
                }, CancellationToken.None).ConfigureAwait(false);
                var role = response.RoleCredentials;
                var expiration = role.Expiration.HasValue
                    ? DateTimeOffset.FromUnixTimeMilliseconds(role.Expiration.Value).UtcDateTime
                    : DateTime.UtcNow.AddHours(1);
                return (new ImmutableCredentials(role.AccessKeyId, role.SecretAccessKey, role.SessionToken), expiration);
            }
            catch (Amazon.SSO.Model.UnauthorizedException e)
            {
                throw new AwsCredentialException("SsoTokenExpired",
                    $"IAM Identity Center refused the SSO token of profile '{_profile}' ({TokenName}): {e.Message} Run '{Login}'.", setting: _profile, innerException: e);
            }
            catch (Exception e) when (e is AmazonServiceException || e is AmazonClientException || e is System.Net.Http.HttpRequestException
                                      || e is IOException || e is System.Net.Sockets.SocketException)
            {
                var endpoint = Context.Endpoint(AwsServiceIds.Sso);
                throw new AwsCredentialException("SsoRoleCredentialsFailed",
                    $"Profile '{_profile}' could not get the credentials of role {_roleName} in account {_accountId} from IAM Identity Center at "
                    + (endpoint.Url == null ? "portal.sso." + _ssoRegion + " (AWS)" : AwsEndpointText.Of(endpoint.Url) + " (" + endpoint.Source + ")")
                    + ": " + (e is AmazonServiceException s ? s.ErrorCode + ": " + s.Message : e.Message), setting: _profile, innerException: e);
            }
        }
    }

    /// <summary>An access key id as the module shows it: only its last four characters.</summary>
    public static class AwsKeyText
    {
        public static string Masked(string? accessKeyId)
        {
            if (string.IsNullOrEmpty(accessKeyId)) return "(none)";
            var key = accessKeyId!;
            return key.Length <= 4 ? new string('*', key.Length) : new string('*', key.Length - 4) + key.Substring(key.Length - 4);
        }
    }
}
