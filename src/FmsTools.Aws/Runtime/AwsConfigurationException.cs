using System;

namespace FmsTools.Aws.Runtime
{
    /// <summary>
    /// The connection cannot be set up: no region, no credentials, an unknown profile or conflicting options.
    /// The message says what is missing and how to set it; <see cref="ArgumentException.ParamName"/> names
    /// the option (Region, Credentials, ProfileName, EndpointUrl, ...).
    /// </summary>
    public sealed class AwsConfigurationException : ArgumentException
    {
        public AwsConfigurationException(string message, string setting, Exception? innerException = null)
            : base(message, setting, innerException) { }

        /// <summary>The option that is missing or wrong.</summary>
        public string Setting => ParamName ?? "";

        // ArgumentException appends "(Parameter 'x')"; the message already names the setting.
        public override string Message => base.Message.Replace(" (Parameter '" + ParamName + "')", "");
    }
}
