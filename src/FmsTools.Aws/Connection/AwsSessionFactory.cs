using System;
using System.Collections.Generic;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using FmsTools.Aws.Runtime;

namespace FmsTools.Aws
{
    /// <summary>Builds sessions from <see cref="AwsConnectionOptions"/> with the precedence AWS users expect.</summary>
    public static class AwsSessionFactory
    {
        public static AwsSession Create(AwsConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var region = ResolveRegion(options);
            var credentials = ResolveCredentials(options);
            return new AwsSession(options.Copy(), credentials, region, accountId: null, root: null);
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
                if (chain.TryGetProfile(profileName, out var profile) && profile.Region != null)
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
        /// True when <see cref="ResolveCredentials"/> finds credentials for <paramref name="options"/>; false when it
        /// reports that none are configured anywhere.
        /// </summary>
        public static bool CanResolveCredentials(AwsConnectionOptions options)
        {
            try
            {
                ResolveCredentials(options);
                return true;
            }
            catch (AwsConfigurationException)
            {
                return false;
            }
        }

        /// <summary>Credentials &gt; access keys &gt; ProfileName &gt; AWS_* variables &gt; AWS_PROFILE/default profile &gt; the SDK's default chain.</summary>
        public static AWSCredentials ResolveCredentials(AwsConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.Credentials != null) return options.Credentials.Credentials;

            var accessKey = NonEmpty(options.AccessKey);
            var secretKey = NonEmpty(options.SecretKey);
            if (accessKey != null || secretKey != null)
            {
                if (accessKey == null || secretKey == null)
                    throw new AwsConfigurationException("Both an access key and a secret key are needed: pass -AccessKey together with -SecretKey.",
                        accessKey == null ? "AccessKey" : "SecretKey");
                var token = NonEmpty(options.SessionToken);
                return token == null ? new BasicAWSCredentials(accessKey, secretKey) : (AWSCredentials)new SessionAWSCredentials(accessKey, secretKey, token);
            }

            if (NonEmpty(options.ProfileName) != null) return FromProfile(options, options.ProfileName!.Trim(), explicitProfile: true)!;

            var envAccessKey = NonEmpty(options.Environment("AWS_ACCESS_KEY_ID"));
            var envSecretKey = NonEmpty(options.Environment("AWS_SECRET_ACCESS_KEY"));
            if (envAccessKey != null && envSecretKey != null)
            {
                var token = NonEmpty(options.Environment("AWS_SESSION_TOKEN"));
                return token == null ? new BasicAWSCredentials(envAccessKey, envSecretKey) : (AWSCredentials)new SessionAWSCredentials(envAccessKey, envSecretKey, token);
            }

            var fromProfile = FromProfile(options, ProfileNameInUse(options), explicitProfile: false);
            if (fromProfile != null) return fromProfile;

            try
            {
                // Web identity (AWS_WEB_IDENTITY_TOKEN_FILE), ECS/EKS container credentials, EC2 instance profile.
                return options.DefaultCredentialChain();
            }
            catch (AmazonClientException e)
            {
                throw new AwsConfigurationException(
                    "No AWS credentials found. Pass -AccessKey and -SecretKey, or -ProfileName with a profile from the AWS config or credentials file, "
                    + "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or run where container or instance credentials are available. "
                    + "The AWS SDK reported: " + e.Message, "Credentials", e);
            }
        }

        private static AWSCredentials? FromProfile(AwsConnectionOptions options, string profileName, bool explicitProfile)
        {
            var chain = new CredentialProfileStoreChain(options.ProfilesLocation);
            try
            {
                if (chain.TryGetAWSCredentials(profileName, out var credentials)) return credentials;
            }
            catch (Exception e) when (e is AmazonClientException || e is InvalidOperationException || e is ArgumentException)
            {
                throw new AwsConfigurationException($"The AWS profile '{profileName}' cannot supply credentials: {e.Message}", "ProfileName", e);
            }
            if (!explicitProfile) return null;
            if (chain.TryGetProfile(profileName, out _))
            {
                throw new AwsConfigurationException(
                    $"The AWS profile '{profileName}' exists but has no usable credentials (keys, role_arn with source_profile or credential_source, "
                    + "credential_process or an SSO configuration).", "ProfileName");
            }
            throw new AwsConfigurationException(
                $"The AWS profile '{profileName}' was not found in {DescribeLocations(options)}. "
                + "Check -ProfileName, or create it with 'aws configure --profile " + profileName + "'.", "ProfileName");
        }

        private static string ProfileNameInUse(AwsConnectionOptions options)
            => NonEmpty(options.ProfileName) ?? NonEmpty(options.Environment("AWS_PROFILE")) ?? SharedCredentialsFile.DefaultProfileName;

        private static string DescribeLocations(AwsConnectionOptions options)
        {
            var places = new List<string>();
            places.Add(NonEmpty(options.ProfilesLocation) ?? NonEmpty(options.Environment("AWS_SHARED_CREDENTIALS_FILE")) ?? "~/.aws/credentials");
            places.Add(NonEmpty(options.Environment("AWS_CONFIG_FILE")) ?? "~/.aws/config");
            places.Add("the .NET SDK credential store");
            return string.Join(", ", places);
        }

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
