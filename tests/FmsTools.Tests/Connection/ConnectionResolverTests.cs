using Amazon.Runtime;
using FmsTools.Aws;
using FmsTools.Engine.Connection;
using Xunit;

namespace FmsTools.Tests.Connection
{
    public class ConnectionResolverTests
    {
        private static ConnectionSettings Call(string? profile = null, string? region = null, string? endpoint = null, string? accessKey = null, string? secret = null)
            => new ConnectionSettings { Source = "parameters", ProfileName = profile, Region = region, EndpointUrl = endpoint, AccessKey = accessKey, SecretKey = secret };

        private static ConnectionSettings Session(string? profile = null, string? region = null, string? endpoint = null, string? accessKey = null, string? secret = null, string? role = null)
            => new ConnectionSettings { Source = "Connect-Fms", ProfileName = profile, Region = region, EndpointUrl = endpoint, AccessKey = accessKey, SecretKey = secret, MemberAccountRoleName = role };

        private static ConnectionSettings Stored(string? region = null, AwsCredentialObject? credentials = null)
            => new ConnectionSettings { Source = "AWS.Tools stored settings", Region = region, Credentials = credentials };

        [Fact]
        public void Call_parameters_win_over_session_defaults_and_stored_settings()
        {
            var r = ConnectionResolver.Resolve(new[] { Call(profile: "prod", region: "eu-west-1"), Session(profile: "dev", region: "us-east-1"), Stored(region: "ap-south-1") });
            Assert.Equal("prod", r.Options.ProfileName);
            Assert.Equal("eu-west-1", r.Options.Region);
            Assert.Equal("parameters", r.CredentialSource);
        }

        [Fact]
        public void Region_falls_through_independently_of_credentials()
        {
            var r = ConnectionResolver.Resolve(new[] { Call(profile: "prod"), Session(region: "us-west-2"), Stored(region: "ap-south-1") });
            Assert.Equal("prod", r.Options.ProfileName);
            Assert.Equal("us-west-2", r.Options.Region);
            Assert.Equal("Connect-Fms", r.RegionSource);
        }

        [Fact]
        public void Session_defaults_win_over_aws_tools_stored_settings()
        {
            var stored = AwsCredentialObject.From(new BasicAWSCredentials("AKIASTORED0000000000", "stored-secret"));
            var r = ConnectionResolver.Resolve(new[] { Call(), Session(profile: "dev"), Stored(region: "ap-south-1", credentials: stored) });
            Assert.Equal("dev", r.Options.ProfileName);
            Assert.Null(r.Options.Credentials);
            Assert.Equal("ap-south-1", r.Options.Region);
        }

        [Fact]
        public void Aws_tools_stored_settings_are_used_when_nothing_else_is_set()
        {
            var stored = AwsCredentialObject.From(new BasicAWSCredentials("AKIASTORED0000000000", "stored-secret"));
            var r = ConnectionResolver.Resolve(new[] { Call(), null, Stored(region: "ap-south-1", credentials: stored) });
            Assert.Same(stored, r.Options.Credentials);
            Assert.Equal("AWS.Tools stored settings", r.CredentialSource);
        }

        [Fact]
        public void Credentials_are_never_mixed_across_layers()
        {
            // The call names only an access key; the session's secret must not be borrowed.
            var r = ConnectionResolver.Resolve(new[] { Call(accessKey: "AKIACALL000000000000"), Session(accessKey: "AKIASESSION000000000", secret: "session-secret") });
            Assert.Equal("AKIACALL000000000000", r.Options.AccessKey);
            Assert.Null(r.Options.SecretKey);
        }

        [Fact]
        public void A_call_that_switches_credentials_does_not_inherit_the_session_endpoint()
        {
            // Connected to the sandbox, then -ProfileName prod for one call: that call must go to AWS.
            var r = ConnectionResolver.Resolve(new[] { Call(profile: "prod"), Session(accessKey: "AKIASANDBOX000000000", secret: "s", endpoint: "http://127.0.0.1:4566") });
            Assert.Null(r.Options.EndpointUrl);
        }

        [Fact]
        public void A_call_without_credentials_keeps_the_session_endpoint()
        {
            var r = ConnectionResolver.Resolve(new[] { Call(region: "eu-west-1"), Session(accessKey: "AKIASANDBOX000000000", secret: "s", endpoint: "http://127.0.0.1:4566") });
            Assert.Equal("http://127.0.0.1:4566", r.Options.EndpointUrl);
            Assert.Equal("eu-west-1", r.Options.Region);
        }

        [Fact]
        public void An_explicit_endpoint_on_the_call_is_used_with_any_credentials()
        {
            var r = ConnectionResolver.Resolve(new[] { Call(profile: "prod", endpoint: "http://127.0.0.1:9999"), Session(endpoint: "http://127.0.0.1:4566") });
            Assert.Equal("http://127.0.0.1:9999", r.Options.EndpointUrl);
        }

        [Fact]
        public void Nothing_set_anywhere_leaves_the_sdk_default_chain()
        {
            var r = ConnectionResolver.Resolve(new[] { Call(), null, null });
            Assert.True(r.UsesDefaultChain);
            Assert.Null(r.Options.ProfileName);
            Assert.Null(r.Options.Region);
        }

        [Fact]
        public void The_member_account_role_comes_from_the_session_when_the_call_has_none()
        {
            var r = ConnectionResolver.Resolve(new[] { Call(), Session(role: "OrgAuditRole") });
            Assert.Equal("OrgAuditRole", r.Options.MemberAccountRoleName);
        }

        [Fact]
        public void Cache_keys_differ_by_secret_but_never_contain_it()
        {
            var a = ConnectionResolver.CacheKey(new FmsTools.Aws.AwsConnectionOptions { AccessKey = "AKIAAAAAAAAAAAAAAAAA", SecretKey = "secret-one", Region = "us-east-1" });
            var b = ConnectionResolver.CacheKey(new FmsTools.Aws.AwsConnectionOptions { AccessKey = "AKIAAAAAAAAAAAAAAAAA", SecretKey = "secret-two", Region = "us-east-1" });
            Assert.NotEqual(a, b);
            Assert.DoesNotContain("secret-one", a);
            Assert.DoesNotContain("AKIAAAAAAAAAAAAAAAAA", a);
        }

        [Fact]
        public void Settings_print_without_secrets()
        {
            var s = Session(accessKey: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            var text = s.ToString();
            Assert.DoesNotContain("wJalrXUtnFEMI", text);
            Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", text);
            // Only the access key id's last four characters.
            Assert.Contains("****************MPLE", text);
            Assert.DoesNotContain("AKIA", text);
        }
    }
}
