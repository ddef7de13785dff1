using System;
using System.Reflection;
using Amazon.Runtime;

namespace FmsTools.Aws
{
    /// <summary>
    /// A credentials object handed in from PowerShell (-Credential, AWS.Tools' $StoredAWSCredentials): an AWSCredentials
    /// of this module's AWSSDK.Core, of another copy of it (AWS.Tools loads its own), or AWS.Tools' holder of one. Its
    /// public surface names no AWSSDK type, so the engine and the cmdlets pass it along without referencing the SDK.
    /// </summary>
    public sealed class AwsCredentialObject
    {
        private readonly object _source;

        private AwsCredentialObject(object source, AWSCredentials credentials)
        {
            _source = source;
            Credentials = credentials;
        }

        /// <summary>The credentials to sign with.</summary>
        internal AWSCredentials Credentials { get; }

        /// <summary>
        /// Identifies the object the user handed in (not its secrets), so the same object reuses one session.
        /// </summary>
        public string CacheKey => "obj:" + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_source);

        /// <summary>
        /// Usable credentials for <paramref name="value"/>: our own AWSCredentials as is, a foreign AWSCredentials adapted,
        /// AWS.Tools' stored-credential holders unwrapped; null when it is none of these.
        /// </summary>
        public static AwsCredentialObject? From(object? value)
        {
            value = Unwrap(value);
            switch (value)
            {
                case null:
                    return null;
                case AwsCredentialObject wrapped:
                    return wrapped;
                case AWSCredentials own:
                    return new AwsCredentialObject(own, own);
            }
            var get = value.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
            if (get == null || !IsAwsCredentials(value.GetType())) return null;
            return new AwsCredentialObject(value, new ForeignCredentials(value, get));
        }

        /// <summary>Names the object's type, never its keys.</summary>
        public override string ToString() => "Credentials from " + _source.GetType().FullName;

        private static bool IsAwsCredentials(Type type)
        {
            for (var t = type; t != null; t = t.BaseType)
                if (t.FullName == "Amazon.Runtime.AWSCredentials") return true;
            return false;
        }

        // PowerShell hands us PSObject wrappers; AWS.Tools stores credentials in an AWSPSCredentials holder
        // whose Credentials property is the AWSCredentials.
        private static object? Unwrap(object? value)
        {
            for (var i = 0; i < 4 && value != null; i++)
            {
                var t = value.GetType();
                if (t.FullName == "System.Management.Automation.PSObject")
                {
                    value = t.GetProperty("BaseObject")?.GetValue(value);
                    continue;
                }
                if (!IsAwsCredentials(t) && !(value is AwsCredentialObject))
                {
                    var inner = t.GetProperty("Credentials", BindingFlags.Public | BindingFlags.Instance);
                    if (inner != null) { value = inner.GetValue(value); continue; }
                }
                break;
            }
            return value;
        }

        /// <summary>
        /// Adapts an AWSCredentials of another copy of AWSSDK.Core (loaded in another load context) to ours. The other
        /// copy's types are not ours even with the same name, so the object is read by reflection on every use, which
        /// keeps refreshing credentials (assumed roles, SSO) refreshing.
        /// </summary>
        private sealed class ForeignCredentials : AWSCredentials
        {
            private readonly object _source;
            private readonly MethodInfo _getCredentials;

            public ForeignCredentials(object source, MethodInfo getCredentials)
            {
                _source = source;
                _getCredentials = getCredentials;
            }

            public override ImmutableCredentials GetCredentials()
            {
                var foreign = _getCredentials.Invoke(_source, null)
                              ?? throw new InvalidOperationException("The credential object returned no credentials.");
                var t = foreign.GetType();
                string Read(string name) => t.GetProperty(name)?.GetValue(foreign) as string ?? "";
                var token = Read("Token");
                return new ImmutableCredentials(Read("AccessKey"), Read("SecretKey"), token.Length == 0 ? null : token);
            }

            public override string ToString() => "Credentials from " + _source.GetType().FullName;
        }
    }
}
