using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Protocol;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// STS GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity over the query protocol (form-encoded
    /// Action=...&amp;Version=2011-06-15, XML answers), so the module's identity, cross-account and credential flows (role
    /// chaining, web identity) work against the sandbox. Requests are checked against botocore's sts model (required
    /// members, lengths, patterns, ranges: ValidationError with AWS's wording); AssumeRole succeeds into a role that exists in an
    /// organization account (see Account.RoleNames: OrganizationAccountAccessRole in created accounts) from the management or FMS
    /// administrator account (or the account itself), and is AccessDenied otherwise. AssumeRoleWithWebIdentity
    /// is unsigned, as at AWS, and accepts a JWT-shaped token that has not expired.
    /// </summary>
    internal sealed class StsService
    {
        internal const string Version = "2011-06-15";
        private const string XmlNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";
        private static readonly Regex RoleArnPattern = new Regex(@"^arn:aws:iam::(\d{12}):role/([\w+=,.@/-]{1,512})$", RegexOptions.ECMAScript);
        private static readonly Regex SessionNamePattern = new Regex(@"^[\w+=,.@-]*$", RegexOptions.ECMAScript);
        private static readonly Regex ExternalIdPattern = new Regex(@"^[\w+=,.@:\/-]*$", RegexOptions.ECMAScript);
        private static readonly Regex SerialNumberPattern = new Regex(@"^[\w+=/:,.@-]*$", RegexOptions.ECMAScript);
        private static readonly Regex TokenCodePattern = new Regex(@"^[\d]*$", RegexOptions.ECMAScript);
        private readonly Action<SandboxCredential> _registerCredential;

        public StsService(Action<SandboxCredential> registerCredential) { _registerCredential = registerCredential; }

        public static bool IsMutating(string action) => action == "AssumeRole" || action == "AssumeRoleWithWebIdentity";

        /// <summary>Actions STS serves without a signature (the model's smithy.api#noAuth).</summary>
        public static bool IsUnsigned(string action) => action == "AssumeRoleWithWebIdentity";

        /// <summary>Answers one action; returns the XML body. Throws SandboxServiceException for errors (rendered by the gateway).</summary>
        public string Handle(RequestContext context, IReadOnlyDictionary<string, string> form, SandboxCredential? caller, string requestId)
        {
            switch (context.Operation)
            {
                case "GetCallerIdentity" when caller != null:
                {
                    var identity = CallerIdentity.From(caller);
                    return Envelope("GetCallerIdentity",
                        "<Arn>" + Escape(identity.Arn) + "</Arn><UserId>" + Escape(identity.UserId) + "</UserId><Account>" + identity.AccountId + "</Account>",
                        requestId);
                }
                case "AssumeRole" when caller != null:
                    return AssumeRole(context, form, caller, requestId);
                case "AssumeRoleWithWebIdentity":
                    return AssumeRoleWithWebIdentity(context, form, requestId);
                default:
                    throw new SandboxServiceException("InvalidAction", "Could not find operation " + context.Operation + " for version " + Version);
            }
        }

        private string AssumeRole(RequestContext context, IReadOnlyDictionary<string, string> form, SandboxCredential caller, string requestId)
        {
            var violations = new List<string>();
            var roleArn = Required(form, "RoleArn", "roleArn", violations);
            var sessionName = Required(form, "RoleSessionName", "roleSessionName", violations);
            CheckRoleArn(roleArn, violations);
            CheckString(sessionName, "roleSessionName", 2, 64, SessionNamePattern, "[\\w+=,.@-]*", violations);
            var duration = Duration(form, violations);
            CheckString(Optional(form, "ExternalId"), "externalId", 2, 1224, ExternalIdPattern, "[\\w+=,.@:\\/-]*", violations);
            var serialNumber = Optional(form, "SerialNumber");
            var tokenCode = Optional(form, "TokenCode");
            CheckString(serialNumber, "serialNumber", 9, 256, SerialNumberPattern, "[\\w+=/:,.@-]*", violations);
            CheckString(tokenCode, "tokenCode", 6, 6, TokenCodePattern, "[\\d]*", violations);
            var sourceIdentity = Optional(form, "SourceIdentity");
            CheckString(sourceIdentity, "sourceIdentity", 2, 64, SessionNamePattern, "[\\w+=,.@-]*", violations);
            CheckString(Optional(form, "Policy"), "policy", 1, int.MaxValue, null, null, violations);
            CheckListLength(form, "Tags.member.", "tags", 50, violations);
            CheckListLength(form, "TransitiveTagKeys.member.", "transitiveTagKeys", 50, violations);
            if (violations.Count > 0) throw new SandboxServiceException("ValidationError", ModelValidator.FormatMessage(violations));
            if (caller.AssumedRoleArn != null && duration > 3600)
                throw new SandboxServiceException("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");

            var match = RoleArnPattern.Match(roleArn!);
            var callerArn = CallerIdentity.From(caller).Arn;
            if (!match.Success)
                throw new SandboxServiceException("ValidationError", roleArn + " is invalid");
            if (!CanAssume(context.World, caller.AccountId, match.Groups[1].Value, match.Groups[2].Value))
                throw new SandboxServiceException("AccessDenied", "User: " + callerArn + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn, 403);
            if (serialNumber != null && tokenCode == null)
                throw new SandboxServiceException("AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.", 403);

            var record = Issue(context, match.Groups[1].Value, roleArn!, sessionName!, duration);
            return Envelope("AssumeRole", CredentialsXml(record) + AssumedRoleUserXml(record)
                + (sourceIdentity == null ? "" : "<SourceIdentity>" + Escape(sourceIdentity) + "</SourceIdentity>"), requestId);
        }

        /// <summary>
        /// Whether a caller of <paramref name="callerAccountId"/> may assume the role: it must exist in the target account
        /// (<see cref="World.Account.RoleNames"/>) and trust the caller, as OrganizationAccountAccessRole trusts the management
        /// account; the sandbox also lets the FMS administrator account and the account itself in.
        /// </summary>
        internal static bool CanAssume(World.World world, string callerAccountId, string targetAccountId, string rolePath)
        {
            var account = world.FindAccount(targetAccountId);
            if (account is null) return false;
            var roleName = rolePath.Substring(rolePath.LastIndexOf('/') + 1);
            var exists = false;
            foreach (var name in account.RoleNames(world.Organization.ManagementAccountId))
                if (string.Equals(name, roleName, StringComparison.Ordinal)) exists = true;
            if (!exists) return false;
            return callerAccountId == targetAccountId || callerAccountId == world.Organization.ManagementAccountId
                || callerAccountId == world.Organization.FmsAdministratorAccountId;
        }

        private string AssumeRoleWithWebIdentity(RequestContext context, IReadOnlyDictionary<string, string> form, string requestId)
        {
            var violations = new List<string>();
            var roleArn = Required(form, "RoleArn", "roleArn", violations);
            var sessionName = Required(form, "RoleSessionName", "roleSessionName", violations);
            var token = Required(form, "WebIdentityToken", "webIdentityToken", violations);
            CheckRoleArn(roleArn, violations);
            CheckString(sessionName, "roleSessionName", 2, 64, SessionNamePattern, "[\\w+=,.@-]*", violations);
            CheckString(token, "webIdentityToken", 4, 20000, null, null, violations);
            CheckString(Optional(form, "ProviderId"), "providerId", 4, 2048, null, null, violations);
            CheckString(Optional(form, "Policy"), "policy", 1, 2048, null, null, violations);
            var duration = Duration(form, violations);
            if (violations.Count > 0) throw new SandboxServiceException("ValidationError", ModelValidator.FormatMessage(violations));

            var claims = WebIdentityClaims(token!, context.Now);
            var match = RoleArnPattern.Match(roleArn!);
            if (!match.Success) throw new SandboxServiceException("ValidationError", roleArn + " is invalid");
            if (context.World.FindAccount(match.Groups[1].Value) is null)
                throw new SandboxServiceException("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403);

            var record = Issue(context, match.Groups[1].Value, roleArn!, sessionName!, duration);
            return Envelope("AssumeRoleWithWebIdentity", CredentialsXml(record)
                + "<SubjectFromWebIdentityToken>" + Escape(claims.Subject) + "</SubjectFromWebIdentityToken>"
                + AssumedRoleUserXml(record)
                + "<Provider>" + Escape(claims.Issuer) + "</Provider><Audience>" + Escape(claims.Audience) + "</Audience>", requestId);
        }

        /// <summary>
        /// The claims of a JWT-shaped token (three base64url parts, a JSON payload with sub, and iss, aud, exp when given);
        /// InvalidIdentityToken when it is not one, ExpiredTokenException once exp has passed. Signatures are not checked:
        /// the sandbox trusts every identity provider.
        /// </summary>
        private static (string Subject, string Issuer, string Audience) WebIdentityClaims(string token, DateTime now)
        {
            var parts = token.Split('.');
            System.Text.Json.JsonDocument? payload = null;
            if (parts.Length == 3)
            {
                try
                {
                    var text = parts[1].Replace('-', '+').Replace('_', '/');
                    text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
                    payload = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(text));
                }
                catch (Exception e) when (e is FormatException || e is System.Text.Json.JsonException)
                {
                    payload = null;
                }
            }
            if (payload == null || payload.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object
                || !payload.RootElement.TryGetProperty("sub", out var sub) || sub.ValueKind != System.Text.Json.JsonValueKind.String)
                throw new SandboxServiceException("InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
            using (payload)
            {
                var root = payload.RootElement;
                if (root.TryGetProperty("exp", out var exp) && exp.ValueKind == System.Text.Json.JsonValueKind.Number
                    && DateTimeOffset.FromUnixTimeSeconds(exp.GetInt64()).UtcDateTime < DateTime.UtcNow)
                    throw new SandboxServiceException("ExpiredTokenException", "Token expired: current date/time " + now.ToString("u", CultureInfo.InvariantCulture)
                        + " must be before the expiration date/time " + DateTimeOffset.FromUnixTimeSeconds(exp.GetInt64()).UtcDateTime.ToString("u", CultureInfo.InvariantCulture));
                var issuer = root.TryGetProperty("iss", out var iss) && iss.ValueKind == System.Text.Json.JsonValueKind.String ? iss.GetString()! : "sandbox.fmstools.local";
                var audience = root.TryGetProperty("aud", out var aud) && aud.ValueKind == System.Text.Json.JsonValueKind.String ? aud.GetString()! : "sts.amazonaws.com";
                return (sub.GetString()!, issuer, audience);
            }
        }

        private SessionRecord Issue(RequestContext context, string accountId, string roleArn, string sessionName, int duration)
        {
            var record = new SessionRecord
            {
                AccessKeyId = "ASIA" + RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
                SecretAccessKey = RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40),
                SessionToken = "FwoGZXIvYXdzE" + RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 300),
                AccountId = accountId,
                RoleArn = roleArn,
                SessionName = sessionName,
                ExpiresAtUtc = TruncateToSeconds(DateTime.UtcNow.AddSeconds(duration)),
            };
            context.Store.Sessions.Put(record.AccessKeyId, record);
            _registerCredential(record.ToCredential());
            return record;
        }

        private static string CredentialsXml(SessionRecord record)
            => "<Credentials><AccessKeyId>" + record.AccessKeyId + "</AccessKeyId><SecretAccessKey>" + Escape(record.SecretAccessKey)
               + "</SecretAccessKey><SessionToken>" + Escape(record.SessionToken) + "</SessionToken><Expiration>"
               + record.ExpiresAtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "</Expiration></Credentials>";

        private static string AssumedRoleUserXml(SessionRecord record)
        {
            var assumed = CallerIdentity.From(record.ToCredential());
            return "<AssumedRoleUser><AssumedRoleId>" + Escape(assumed.UserId) + "</AssumedRoleId><Arn>" + Escape(assumed.Arn) + "</Arn></AssumedRoleUser>";
        }

        private static string? Required(IReadOnlyDictionary<string, string> form, string member, string path, List<string> violations)
        {
            if (form.TryGetValue(member, out var value) && value.Length > 0) return value;
            violations.Add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
            return null;
        }

        private static string? Optional(IReadOnlyDictionary<string, string> form, string member)
            => form.TryGetValue(member, out var value) ? value : null;

        private static void CheckRoleArn(string? roleArn, List<string> violations)
            => CheckString(roleArn, "roleArn", 20, 2048, null, null, violations);

        /// <summary>The model's length and pattern constraints, in AWS's wording, in the model's order (length, then pattern).</summary>
        private static void CheckString(string? value, string path, int min, int max, Regex? pattern, string? patternText, List<string> violations)
        {
            if (value == null) return;
            if (value.Length < min)
                violations.Add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
            else if (value.Length > max)
                violations.Add("Value '" + Shorten(value) + "' at '" + path + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
            if (pattern != null && !pattern.IsMatch(value))
                violations.Add("Value '" + Shorten(value) + "' at '" + path + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + patternText);
        }

        private static void CheckListLength(IReadOnlyDictionary<string, string> form, string prefix, string path, int max, List<string> violations)
        {
            var indexes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in form.Keys)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                var rest = key.Substring(prefix.Length);
                var dot = rest.IndexOf('.');
                indexes.Add(dot < 0 ? rest : rest.Substring(0, dot));
            }
            if (indexes.Count > max)
                violations.Add("Value at '" + path + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
        }

        private static int Duration(IReadOnlyDictionary<string, string> form, List<string> violations)
        {
            if (!form.TryGetValue("DurationSeconds", out var durationText)) return 3600;
            if (!int.TryParse(durationText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var duration))
                throw new SandboxServiceException("MalformedInput", "DurationSeconds must be an integer.");
            if (duration < 900) violations.Add("Value '" + duration + "' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
            if (duration > 43200) violations.Add("Value '" + duration + "' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
            return duration;
        }

        private static string Shorten(string value) => value.Length <= 100 ? value : value.Substring(0, 100) + "...";

        private static DateTime TruncateToSeconds(DateTime value) => new DateTime(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

        private static string Envelope(string action, string result, string requestId)
            => "<" + action + "Response xmlns=\"" + XmlNamespace + "\">\n  <" + action + "Result>" + result + "</" + action + "Result>\n"
               + "  <ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata>\n</" + action + "Response>\n";

        /// <summary>The query protocol's error document.</summary>
        public static string ErrorXml(string code, string message, string requestId, bool senderFault)
            => "<ErrorResponse xmlns=\"" + XmlNamespace + "\">\n  <Error>\n    <Type>" + (senderFault ? "Sender" : "Receiver") + "</Type>\n    <Code>"
               + Escape(code) + "</Code>\n    <Message>" + Escape(message) + "</Message>\n  </Error>\n  <RequestId>" + requestId + "</RequestId>\n</ErrorResponse>\n";

        private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

        private static string RandomText(string alphabet, int length)
        {
            var bytes = new byte[length];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            var builder = new StringBuilder(length);
            foreach (var b in bytes) builder.Append(alphabet[b % alphabet.Length]);
            return builder.ToString();
        }

        /// <summary>Parses an application/x-www-form-urlencoded body.</summary>
        public static Dictionary<string, string> ParseForm(byte[] body)
        {
            var form = new Dictionary<string, string>(StringComparer.Ordinal);
            var text = Encoding.UTF8.GetString(body);
            foreach (var pair in text.Split('&'))
            {
                if (pair.Length == 0) continue;
                var equals = pair.IndexOf('=');
                var name = equals < 0 ? pair : pair.Substring(0, equals);
                var value = equals < 0 ? "" : pair.Substring(equals + 1);
                form[Uri.UnescapeDataString(name.Replace('+', ' '))] = Uri.UnescapeDataString(value.Replace('+', ' '));
            }
            return form;
        }
    }
}
