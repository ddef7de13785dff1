using System;

namespace FmsTools.Sandbox
{
    /// <summary>
    /// A key pair the sandbox accepts. The access key id identifies the calling account: the FMS
    /// administrator, the management account, or a member account through AssumeRole-issued keys.
    /// </summary>
    public sealed class SandboxCredential
    {
        public SandboxCredential(string accessKeyId, string secretAccessKey, string accountId, string? principalName = null)
        {
            if (string.IsNullOrEmpty(accessKeyId)) throw new ArgumentException("An access key id is required.", nameof(accessKeyId));
            if (string.IsNullOrEmpty(secretAccessKey)) throw new ArgumentException("A secret access key is required.", nameof(secretAccessKey));
            if (string.IsNullOrEmpty(accountId)) throw new ArgumentException("An account id is required.", nameof(accountId));
            AccessKeyId = accessKeyId;
            SecretAccessKey = secretAccessKey;
            AccountId = accountId;
            PrincipalName = principalName ?? "sandbox-user";
        }

        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }
        public string AccountId { get; }

        /// <summary>IAM user name (long-term keys) or role/session (temporary keys) shown by GetCallerIdentity.</summary>
        public string PrincipalName { get; }

        /// <summary>Set for AssumeRole-issued keys, which must be sent with X-Amz-Security-Token.</summary>
        public string? SessionToken { get; init; }

        /// <summary>When temporary keys stop working (UTC, real time so client SDK refresh logic stays valid).</summary>
        public DateTime? ExpiresAtUtc { get; init; }

        /// <summary>For assumed roles: the role ARN that was assumed.</summary>
        public string? AssumedRoleArn { get; init; }

        private CallerIdentity? _identity;

        /// <summary>The identity this key acts as, computed once (it is needed on every request).</summary>
        internal CallerIdentity Identity => _identity ??= CallerIdentity.From(this);

        /// <summary>Never shows the secret or session token.</summary>
        public override string ToString() => AccessKeyId + " (account " + AccountId + ")";
    }

    /// <summary>Who made a request, as established by SigV4 verification.</summary>
    public sealed class CallerIdentity
    {
        public CallerIdentity(string accountId, string arn, string userId, string accessKeyId)
        {
            AccountId = accountId;
            Arn = arn;
            UserId = userId;
            AccessKeyId = accessKeyId;
        }

        public string AccountId { get; }
        public string Arn { get; }
        public string UserId { get; }
        public string AccessKeyId { get; }

        /// <summary>The caller of an unsigned request (AssumeRoleWithWebIdentity): no account, no principal.</summary>
        internal static CallerIdentity Anonymous { get; } = new CallerIdentity("", "", "", "");

        internal static CallerIdentity From(SandboxCredential credential)
        {
            if (credential.AssumedRoleArn != null)
            {
                // arn:aws:iam::123:role/Name -> arn:aws:sts::123:assumed-role/Name/session
                var roleName = credential.AssumedRoleArn.Substring(credential.AssumedRoleArn.LastIndexOf('/') + 1);
                return new CallerIdentity(credential.AccountId,
                    "arn:aws:sts::" + credential.AccountId + ":assumed-role/" + roleName + "/" + credential.PrincipalName,
                    "AROA" + StableSuffix(credential.AssumedRoleArn) + ":" + credential.PrincipalName, credential.AccessKeyId);
            }
            return new CallerIdentity(credential.AccountId,
                "arn:aws:iam::" + credential.AccountId + ":user/" + credential.PrincipalName,
                "AIDA" + StableSuffix(credential.AccountId + "/" + credential.PrincipalName), credential.AccessKeyId);
        }

        private static string StableSuffix(string text)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            var hash = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text));
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            var chars = new char[16];
            for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[hash[i] % alphabet.Length];
            return new string(chars);
        }
    }
}
