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
    /// STS GetCallerIdentity and AssumeRole over the query protocol (form-encoded Action=...&amp;Version=2011-06-15,
    /// XML answers), so the module's identity and cross-account flows work against the sandbox. AssumeRole
    /// into any role of an organization account succeeds, as with OrganizationAccountAccessRole.
    /// </summary>
    internal sealed class StsService
    {
        internal const string Version = "2011-06-15";
        private const string XmlNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";
        private static readonly Regex RoleArnPattern = new Regex(@"^arn:aws:iam::(\d{12}):role/([\w+=,.@/-]{1,512})$", RegexOptions.CultureInvariant);
        private static readonly Regex SessionNamePattern = new Regex(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant);
        private readonly Action<SandboxCredential> _registerCredential;

        public StsService(Action<SandboxCredential> registerCredential) { _registerCredential = registerCredential; }

        public static bool IsMutating(string action) => action == "AssumeRole";

        /// <summary>Answers one action; returns the XML body. Throws SandboxServiceException for errors (rendered by the gateway).</summary>
        public string Handle(RequestContext context, IReadOnlyDictionary<string, string> form, SandboxCredential caller, string requestId)
        {
            switch (context.Operation)
            {
                case "GetCallerIdentity":
                {
                    var identity = CallerIdentity.From(caller);
                    return Envelope("GetCallerIdentity",
                        "<Arn>" + Escape(identity.Arn) + "</Arn><UserId>" + Escape(identity.UserId) + "</UserId><Account>" + identity.AccountId + "</Account>",
                        requestId);
                }
                case "AssumeRole":
                    return AssumeRole(context, form, caller, requestId);
                default:
                    throw new SandboxServiceException("InvalidAction", "Could not find operation " + context.Operation + " for version " + Version);
            }
        }

        private string AssumeRole(RequestContext context, IReadOnlyDictionary<string, string> form, SandboxCredential caller, string requestId)
        {
            var violations = new List<string>();
            form.TryGetValue("RoleArn", out var roleArn);
            form.TryGetValue("RoleSessionName", out var sessionName);
            if (string.IsNullOrEmpty(roleArn)) violations.Add("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
            if (string.IsNullOrEmpty(sessionName)) violations.Add("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
            else if (!SessionNamePattern.IsMatch(sessionName))
                violations.Add("Value '" + sessionName + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
            var duration = 3600;
            if (form.TryGetValue("DurationSeconds", out var durationText))
            {
                if (!int.TryParse(durationText, NumberStyles.Integer, CultureInfo.InvariantCulture, out duration))
                    throw new SandboxServiceException("MalformedInput", "DurationSeconds must be an integer.");
                if (duration < 900) violations.Add("Value '" + duration + "' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
                if (duration > 43200) violations.Add("Value '" + duration + "' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
            }
            if (violations.Count > 0) throw new SandboxServiceException("ValidationError", ModelValidator.FormatMessage(violations));
            if (caller.AssumedRoleArn != null && duration > 3600)
                throw new SandboxServiceException("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");

            var match = RoleArnPattern.Match(roleArn!);
            var callerArn = CallerIdentity.From(caller).Arn;
            if (!match.Success || context.World.FindAccount(match.Groups[1].Value) is null)
                throw new SandboxServiceException("AccessDenied", "User: " + callerArn + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn, 403);

            var accountId = match.Groups[1].Value;
            var record = new SessionRecord
            {
                AccessKeyId = "ASIA" + RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
                SecretAccessKey = RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40),
                SessionToken = "FwoGZXIvYXdzE" + RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 300),
                AccountId = accountId,
                RoleArn = roleArn!,
                SessionName = sessionName!,
                ExpiresAtUtc = TruncateToSeconds(DateTime.UtcNow.AddSeconds(duration)),
            };
            context.Store.Sessions.Put(record.AccessKeyId, record);
            var credential = record.ToCredential();
            _registerCredential(credential);
            var assumed = CallerIdentity.From(credential);
            return Envelope("AssumeRole",
                "<Credentials><AccessKeyId>" + record.AccessKeyId + "</AccessKeyId><SecretAccessKey>" + Escape(record.SecretAccessKey)
                + "</SecretAccessKey><SessionToken>" + Escape(record.SessionToken) + "</SessionToken><Expiration>"
                + record.ExpiresAtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "</Expiration></Credentials>"
                + "<AssumedRoleUser><AssumedRoleId>" + Escape(assumed.UserId) + "</AssumedRoleId><Arn>" + Escape(assumed.Arn) + "</Arn></AssumedRoleUser>",
                requestId);
        }

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
