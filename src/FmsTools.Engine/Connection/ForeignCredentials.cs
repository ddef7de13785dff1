using System;
using System.Reflection;
using Amazon.Runtime;

namespace FmsTools.Engine.Connection
{
    /// <summary>
    /// Adapts credential objects that belong to another copy of AWSSDK.Core (AWS.Tools' $StoredAWSCredentials,
    /// or an AWSCredentials passed to -Credential, loaded in another load context) to ours. The other copy's
    /// types are not ours even with the same name, so the object is read by reflection on every use, which
    /// keeps refreshing credentials (assumed roles, SSO) refreshing.
    /// </summary>
    public sealed class ForeignCredentials : AWSCredentials
    {
        private readonly object _source;
        private readonly MethodInfo _getCredentials;

        private ForeignCredentials(object source, MethodInfo getCredentials)
        {
            _source = source;
            _getCredentials = getCredentials;
        }

        /// <summary>
        /// Returns usable credentials for <paramref name="value"/>: our own AWSCredentials as is, a foreign
        /// AWSCredentials wrapped, AWS.Tools' stored-credential wrappers unwrapped; null when it is none of these.
        /// </summary>
        public static AWSCredentials? From(object? value)
        {
            value = Unwrap(value);
            switch (value)
            {
                case null:
                    return null;
                case AWSCredentials own:
                    return own;
            }
            var get = value.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
            if (get == null || !IsAwsCredentials(value.GetType())) return null;
            return new ForeignCredentials(value, get);
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
                if (!IsAwsCredentials(t))
                {
                    var inner = t.GetProperty("Credentials", BindingFlags.Public | BindingFlags.Instance);
                    if (inner != null) { value = inner.GetValue(value); continue; }
                }
                break;
            }
            return value;
        }

        public override string ToString() => "Credentials from " + _source.GetType().FullName;
    }
}
