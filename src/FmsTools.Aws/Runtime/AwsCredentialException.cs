using System;

namespace FmsTools.Aws.Runtime
{
    /// <summary>
    /// Credentials could not be obtained: a profile that does not exist, an AssumeRole that STS refused, a
    /// credential_process that failed, an expired SSO token... <see cref="ErrorId"/> is the stable id the cmdlets report
    /// (ProfileNotFound, AssumeRoleFailed, CredentialProcessFailed, SsoTokenExpired, ...); the message says what failed,
    /// why (the real cause, never a secret) and what to do. It is never blamed on the call that needed the credentials.
    /// </summary>
    public sealed class AwsCredentialException : Exception
    {
        public AwsCredentialException(string errorId, string message, bool isNotFound = false, string? setting = null, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            IsNotFound = isNotFound;
            Setting = setting;
        }

        /// <summary>ProfileNotFound, SourceProfileNotFound, AssumeRoleFailed, WebIdentityFailed, CredentialProcessFailed, SsoTokenExpired, ...</summary>
        public string ErrorId { get; }

        /// <summary>True when something named does not exist (ObjectNotFound); false for a refusal or failure (AuthenticationError).</summary>
        public bool IsNotFound { get; }

        /// <summary>The profile, file or setting concerned, when there is one (for the error's target).</summary>
        public string? Setting { get; }
    }
}
