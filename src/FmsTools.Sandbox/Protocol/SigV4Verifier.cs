using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using FmsTools.Aws.Runtime;
using FmsTools.Sandbox.Http;

namespace FmsTools.Sandbox.Protocol
{
    /// <summary>How an authentication failure is spelled by the protocol that received it.</summary>
    internal enum AuthFailure
    {
        Missing,
        Incomplete,
        BadSignature,
        Expired,
        UnknownKey,
        ExpiredToken,
    }

    /// <summary>
    /// Verifies AWS Signature Version 4 on incoming requests against the sandbox's credentials. The
    /// signing key and HMAC come from AWSSDK.Core's AWS4Signer (through SigV4Primitives) so the sandbox agrees with the SDK by
    /// construction; the canonical request is rebuilt from the request exactly as received.
    /// </summary>
    internal sealed class SigV4Verifier
    {
        private const string Algorithm = "AWS4-HMAC-SHA256";
        internal static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
        private readonly Func<string, SandboxCredential?> _lookup;
        private readonly Func<DateTime> _utcNow;
        private readonly ConcurrentDictionary<string, byte[]> _signingKeys = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);

        public SigV4Verifier(Func<string, SandboxCredential?> lookup, Func<DateTime> utcNow)
        {
            _lookup = lookup;
            _utcNow = utcNow;
        }

        internal sealed class Result
        {
            public SandboxCredential? Credential;
            public string Region = "";
            public AuthFailure? Failure;
            public string Message = "";
        }

        /// <summary>Checks the request's signature; serviceSigningName (fms, organizations, wafv2, sts) must match the scope.</summary>
        public Result Verify(SandboxHttpRequest request, string serviceSigningName)
        {
            var authorization = request.Header("Authorization");
            if (string.IsNullOrEmpty(authorization))
                return Fail(AuthFailure.Missing, "Request is missing Authentication Token");
            if (!authorization!.StartsWith(Algorithm + " ", StringComparison.Ordinal))
                return Fail(AuthFailure.Incomplete, "Unsupported AWS 'algorithm': '" + authorization.Split(' ')[0] + "'");

            string? credential = null, signedHeaders = null, signature = null;
            foreach (var part in authorization.Substring(Algorithm.Length + 1).Split(','))
            {
                var trimmed = part.Trim();
                var equals = trimmed.IndexOf('=');
                if (equals <= 0) continue;
                var name = trimmed.Substring(0, equals);
                var value = trimmed.Substring(equals + 1);
                if (name == "Credential") credential = value;
                else if (name == "SignedHeaders") signedHeaders = value;
                else if (name == "Signature") signature = value;
            }
            var amzDate = request.Header("X-Amz-Date");
            var missing = new List<string>();
            if (credential is null) missing.Add("Authorization header requires 'Credential' parameter.");
            if (signature is null) missing.Add("Authorization header requires 'Signature' parameter.");
            if (signedHeaders is null) missing.Add("Authorization header requires 'SignedHeaders' parameter.");
            if (amzDate is null && request.Header("Date") is null)
                missing.Add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
            if (missing.Count > 0) return Fail(AuthFailure.Incomplete, string.Join(" ", missing));

            var scope = credential!.Split('/');
            if (scope.Length != 5 || scope[4] != "aws4_request")
                return Fail(AuthFailure.Incomplete, "Credential should be scoped to a valid region, not '" + (scope.Length > 2 ? scope[2] : "") + "'. ");
            var accessKeyId = scope[0];
            var scopeDate = scope[1];
            var region = scope[2];
            var service = scope[3];
            if (!string.Equals(service, serviceSigningName, StringComparison.Ordinal))
                return Fail(AuthFailure.BadSignature, "Credential should be scoped to correct service: '" + serviceSigningName + "'. ");

            if (!TryParseRequestTime(amzDate, request.Header("Date"), out var signedAt, out var signedAtText))
                return Fail(AuthFailure.Incomplete, "Date must be in ISO-8601 'basic format'. Got '" + (amzDate ?? "") + "'. See http://en.wikipedia.org/wiki/ISO_8601");
            var now = _utcNow();
            if (signedAt < now - AllowedSkew)
                return Fail(AuthFailure.Expired, "Signature expired: " + signedAtText + " is now earlier than "
                    + Stamp(now - AllowedSkew) + " (" + Stamp(now) + " - 15 min.)");
            if (signedAt > now + AllowedSkew)
                return Fail(AuthFailure.Expired, "Signature not yet current: " + signedAtText + " is still later than "
                    + Stamp(now + AllowedSkew) + " (" + Stamp(now) + " + 15 min.)");
            if (!string.Equals(scopeDate, signedAtText.Substring(0, 8), StringComparison.Ordinal))
                return Fail(AuthFailure.BadSignature, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + scopeDate + "' != '" + signedAtText.Substring(0, 8) + "', from '" + signedAtText + "'.");

            var known = _lookup(accessKeyId);
            if (known is null) return Fail(AuthFailure.UnknownKey, "The security token included in the request is invalid.");
            if (known.SessionToken != null)
            {
                var token = request.Header("X-Amz-Security-Token");
                if (token is null || !FixedTimeEquals(token, known.SessionToken))
                    return Fail(AuthFailure.UnknownKey, "The security token included in the request is invalid.");
                if (known.ExpiresAtUtc.HasValue && known.ExpiresAtUtc.Value <= now)
                    return Fail(AuthFailure.ExpiredToken, "The security token included in the request is expired");
            }

            var signedNames = signedHeaders!.Split(';');
            if (Array.IndexOf(signedNames, "host") < 0)
                return Fail(AuthFailure.BadSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

            var payloadHash = Hex(SigV4Primitives.Sha256(request.Body));
            var declaredHash = request.Header("X-Amz-Content-SHA256");
            if (declaredHash != null && declaredHash != "UNSIGNED-PAYLOAD" && !string.Equals(declaredHash, payloadHash, StringComparison.OrdinalIgnoreCase))
                return Fail(AuthFailure.BadSignature, "The provided 'x-amz-content-sha256' header does not match what was computed.");
            if (declaredHash == "UNSIGNED-PAYLOAD") payloadHash = declaredHash;

            var canonicalRequest = BuildCanonicalRequest(request, signedNames, signedHeaders, payloadHash);
            var credentialScope = scopeDate + "/" + region + "/" + service + "/aws4_request";
            var stringToSign = Algorithm + "\n" + signedAtText + "\n" + credentialScope + "\n" + Hex(SigV4Primitives.Sha256(canonicalRequest));
            var key = SigningKey(known.SecretAccessKey, scopeDate, region, service);
            var expected = Hex(SigV4Primitives.HmacSha256(key, stringToSign));
            if (!FixedTimeEquals(expected, signature!))
                return Fail(AuthFailure.BadSignature, "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
            return new Result { Credential = known, Region = region };
        }

        private byte[] SigningKey(string secret, string date, string region, string service)
        {
            // Keyed by a hash of the secret so the cache never holds secrets in its keys.
            var cacheKey = Hex(SigV4Primitives.Sha256(secret)) + "|" + date + "|" + region + "|" + service;
            if (_signingKeys.TryGetValue(cacheKey, out var key)) return key;
            if (_signingKeys.Count > 1024) _signingKeys.Clear();
            key = SigV4Primitives.SigningKey(secret, region, date, service);
            _signingKeys[cacheKey] = key;
            return key;
        }

        internal static string BuildCanonicalRequest(SandboxHttpRequest request, string[] signedNames, string signedHeaders, string payloadHash)
        {
            var builder = new StringBuilder(512);
            builder.Append(request.Method).Append('\n');
            builder.Append(CanonicalPath(request.Path)).Append('\n');
            builder.Append(CanonicalQuery(request.Query)).Append('\n');
            foreach (var name in signedNames)
            {
                var values = new List<string>();
                foreach (var header in request.Headers)
                    if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)) values.Add(CollapseWhitespace(header.Value));
                builder.Append(name).Append(':').Append(string.Join(",", values)).Append('\n');
            }
            builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
            return builder.ToString();
        }

        /// <summary>Non-S3 services sign the path URI-encoded once more (botocore: quote(path, safe='/~')).</summary>
        private static string CanonicalPath(string path)
        {
            if (path.Length == 0) return "/";
            return UriEncode(path, keepSlash: true);
        }

        private static string CanonicalQuery(string query)
        {
            if (query.Length == 0) return "";
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var part in query.Split('&'))
            {
                if (part.Length == 0) continue;
                var equals = part.IndexOf('=');
                var name = equals < 0 ? part : part.Substring(0, equals);
                var value = equals < 0 ? "" : part.Substring(equals + 1);
                pairs.Add(new KeyValuePair<string, string>(UriEncode(Uri.UnescapeDataString(name), false), UriEncode(Uri.UnescapeDataString(value), false)));
            }
            return string.Join("&", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value));
        }

        internal static string UriEncode(string text, bool keepSlash)
        {
            var builder = new StringBuilder(text.Length + 8);
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                var c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~'
                    || (keepSlash && c == '/'))
                    builder.Append(c);
                else
                    builder.Append('%').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
            }
            return builder.ToString();
        }

        private static string CollapseWhitespace(string value)
        {
            var trimmed = value.Trim();
            if (trimmed.IndexOf("  ", StringComparison.Ordinal) < 0) return trimmed;
            var builder = new StringBuilder(trimmed.Length);
            var previousSpace = false;
            foreach (var c in trimmed)
            {
                if (c == ' ')
                {
                    if (!previousSpace) builder.Append(c);
                    previousSpace = true;
                }
                else
                {
                    builder.Append(c);
                    previousSpace = false;
                }
            }
            return builder.ToString();
        }

        private static bool TryParseRequestTime(string? amzDate, string? httpDate, out DateTime signedAt, out string text)
        {
            if (amzDate != null)
            {
                text = amzDate;
                return DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out signedAt);
            }
            if (httpDate != null && DateTime.TryParse(httpDate, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out signedAt))
            {
                text = Stamp(signedAt);
                return true;
            }
            signedAt = default;
            text = httpDate ?? "";
            return false;
        }

        internal static string Stamp(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

        internal static string Hex(byte[] bytes)
        {
            const string digits = "0123456789abcdef";
            var chars = new char[bytes.Length * 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[i * 2] = digits[bytes[i] >> 4];
                chars[i * 2 + 1] = digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }

        private static bool FixedTimeEquals(string a, string b)
        {
            if (a.Length != b.Length) return false;
            var difference = 0;
            for (var i = 0; i < a.Length; i++) difference |= a[i] ^ b[i];
            return difference == 0;
        }

        private static Result Fail(AuthFailure failure, string message) => new Result { Failure = failure, Message = message };
    }
}
