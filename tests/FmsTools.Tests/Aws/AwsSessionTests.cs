using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using Xunit;

namespace FmsTools.Tests.Aws
{
    /// <summary>Credential and region precedence, with a temporary credentials file and an injected environment.</summary>
    public sealed class AwsSessionFactoryTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "fmstools-aws-" + Guid.NewGuid().ToString("N"));
        private readonly string _credentialsFile;

        public AwsSessionFactoryTests()
        {
            Directory.CreateDirectory(_dir);
            _credentialsFile = Path.Combine(_dir, "credentials");
            File.WriteAllText(_credentialsFile, string.Join("\n",
                "[fmstools-test-static]",
                "aws_access_key_id = AKIDPROFILE000000001",
                "aws_secret_access_key = profile-secret",
                "region = eu-west-1",
                "",
                "[fmstools-test-envprofile]",
                "aws_access_key_id = AKIDENVPROFILE000001",
                "aws_secret_access_key = envprofile-secret",
                "region = ap-southeast-2",
                "",
                "[fmstools-test-role]",
                "role_arn = arn:aws:iam::123456789012:role/Admin",
                "source_profile = fmstools-test-static",
                "",
                "[fmstools-test-process]",
                "credential_process = python3 " + Path.Combine(_dir, "creds.py"),
                ""));
            File.WriteAllText(Path.Combine(_dir, "creds.py"),
                "import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': 'AKIDPROCESS000000001', 'SecretAccessKey': 'process-secret', 'SessionToken': 'process-token'}))\n");
        }

        public void Dispose()
        {
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }

        private AwsConnectionOptions Options(Dictionary<string, string>? env = null)
        {
            var options = AwsTestSupport.IsolatedOptions(env);
            options.ProfilesLocation = _credentialsFile;
            return options;
        }

        private static string AccessKeyOf(AWSCredentials credentials) => credentials.GetCredentials().AccessKey;

        [Fact]
        public void Explicit_credentials_win_over_keys_profile_and_environment()
        {
            var options = Options(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIDENV0000000000001", ["AWS_SECRET_ACCESS_KEY"] = "env" });
            options.Credentials = AwsCredentialObject.From(new BasicAWSCredentials("AKIDOBJECT0000000001", "object"));
            options.AccessKey = "AKIDKEYS000000000001";
            options.SecretKey = "keys";
            options.ProfileName = "fmstools-test-static";
            Assert.Equal("AKIDOBJECT0000000001", AccessKeyOf(AwsSessionFactory.ResolveCredentials(options)));
            options.Credentials = null;
            Assert.Equal("AKIDKEYS000000000001", AccessKeyOf(AwsSessionFactory.ResolveCredentials(options)));
        }

        [Fact]
        public void Access_keys_with_session_token_give_session_credentials()
        {
            var options = Options();
            options.AccessKey = "AKIDKEYS000000000001";
            options.SecretKey = "keys";
            options.SessionToken = "token-1";
            var immutable = AwsSessionFactory.ResolveCredentials(options).GetCredentials();
            Assert.Equal("token-1", immutable.Token);
        }

        [Fact]
        public void Access_key_without_secret_key_is_a_clear_error()
        {
            var options = Options();
            options.AccessKey = "AKIDKEYS000000000001";
            var error = Assert.Throws<AwsConfigurationException>(() => AwsSessionFactory.ResolveCredentials(options));
            Assert.Equal("SecretKey", error.Setting);
            Assert.Contains("-SecretKey", error.Message);
        }

        [Fact]
        public void Profile_wins_over_environment_keys()
        {
            var options = Options(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIDENV0000000000001", ["AWS_SECRET_ACCESS_KEY"] = "env" });
            options.ProfileName = "fmstools-test-static";
            Assert.Equal("AKIDPROFILE000000001", AccessKeyOf(AwsSessionFactory.ResolveCredentials(options)));
        }

        [Fact]
        public void Environment_keys_are_used_when_nothing_explicit_is_given()
        {
            var options = Options(new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = "AKIDENV0000000000001", ["AWS_SECRET_ACCESS_KEY"] = "env", ["AWS_SESSION_TOKEN"] = "env-token",
                ["AWS_PROFILE"] = "fmstools-test-static",
            });
            var immutable = AwsSessionFactory.ResolveCredentials(options).GetCredentials();
            Assert.Equal(("AKIDENV0000000000001", "env-token"), (immutable.AccessKey, immutable.Token));
        }

        [Fact]
        public void AWS_PROFILE_selects_the_profile_when_no_keys_are_in_the_environment()
        {
            var options = Options(new Dictionary<string, string> { ["AWS_PROFILE"] = "fmstools-test-envprofile" });
            Assert.Equal("AKIDENVPROFILE000001", AccessKeyOf(AwsSessionFactory.ResolveCredentials(options)));
            Assert.Equal("ap-southeast-2", AwsSessionFactory.ResolveRegion(options));
        }

        [Fact]
        public void Role_profiles_resolve_to_assume_role_credentials_that_call_the_session_endpoints()
        {
            // Not the SDK's AssumeRoleAWSCredentials: that one sends AssumeRole to the real STS whatever -EndpointUrl or
            // the configured endpoints say (AwsCredentialChainTests covers the calls).
            var options = Options();
            options.ProfileName = "fmstools-test-role";
            Assert.IsType<AssumeRoleCredentials>(AwsSessionFactory.ResolveCredentials(options));
        }

        [Fact]
        public void Credential_process_profiles_run_the_process_through_the_sdk()
        {
            if (!PythonAvailable()) return;
            var options = Options();
            options.ProfileName = "fmstools-test-process";
            var credentials = AwsSessionFactory.ResolveCredentials(options);
            Assert.IsType<CredentialProcessCredentials>(credentials);
            var immutable = credentials.GetCredentials();
            Assert.Equal(("AKIDPROCESS000000001", "process-token"), (immutable.AccessKey, immutable.Token));
        }

        [Fact]
        public void Unknown_profile_names_the_profile_and_where_it_was_looked_for()
        {
            var options = Options();
            options.ProfileName = "fmstools-test-missing";
            var error = Assert.Throws<AwsCredentialException>(() => AwsSessionFactory.ResolveCredentials(options));
            Assert.Equal("ProfileNotFound", error.ErrorId);
            Assert.True(error.IsNotFound);
            Assert.Equal("fmstools-test-missing", error.Setting);
            Assert.Contains("fmstools-test-missing", error.Message);
            Assert.Contains(_credentialsFile, error.Message);
        }

        [Fact]
        public void An_AWS_PROFILE_that_does_not_exist_is_an_error_naming_it_not_a_fall_through()
        {
            var options = Options(new Dictionary<string, string> { ["AWS_PROFILE"] = "fmstools-test-nothing-here" });
            options.Region = "us-east-1";
            var error = Assert.Throws<AwsCredentialException>(() => AwsSessionFactory.Create(options));
            Assert.Equal("ProfileNotFound", error.ErrorId);
            Assert.Contains("'fmstools-test-nothing-here' (AWS_PROFILE)", error.Message);
        }

        [Fact]
        public void A_missing_profile_is_reported_before_a_missing_region()
        {
            var options = Options();
            options.ProfileName = "fmstools-test-missing";
            var error = Assert.Throws<AwsCredentialException>(() => AwsSessionFactory.Create(options));
            Assert.Equal("ProfileNotFound", error.ErrorId);
        }

        [Fact]
        public void No_credentials_anywhere_is_a_clear_error()
        {
            var options = Options();
            options.Region = "us-east-1";
            var error = Assert.Throws<AwsConfigurationException>(() => AwsSessionFactory.Create(options));
            Assert.Equal("Credentials", error.Setting);
            Assert.Contains("AWS_ACCESS_KEY_ID", error.Message);
            Assert.Contains("-ProfileName", error.Message);
        }

        [Fact]
        public void Region_precedence_is_option_then_AWS_REGION_then_AWS_DEFAULT_REGION_then_profile()
        {
            var env = new Dictionary<string, string> { ["AWS_REGION"] = "us-west-2", ["AWS_DEFAULT_REGION"] = "us-east-2" };
            var options = Options(env);
            options.ProfileName = "fmstools-test-static";
            options.Region = "ca-central-1";
            Assert.Equal("ca-central-1", AwsSessionFactory.ResolveRegion(options));
            options.Region = null;
            Assert.Equal("us-west-2", AwsSessionFactory.ResolveRegion(options));
            env.Remove("AWS_REGION");
            Assert.Equal("us-east-2", AwsSessionFactory.ResolveRegion(options));
            env.Remove("AWS_DEFAULT_REGION");
            Assert.Equal("eu-west-1", AwsSessionFactory.ResolveRegion(options));
        }

        [Fact]
        public void Missing_region_is_a_clear_error()
        {
            var options = Options();
            options.AccessKey = "AKIDKEYS000000000001";
            options.SecretKey = "keys";
            options.ProfileName = "fmstools-test-role";
            var error = Assert.Throws<AwsConfigurationException>(() => AwsSessionFactory.Create(options));
            Assert.Equal("Region", error.Setting);
            Assert.Contains("AWS_REGION", error.Message);
            Assert.Contains("-Region", error.Message);
        }

        private static bool PythonAvailable()
            => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Any(p => File.Exists(Path.Combine(p, "python3")));
    }

    /// <summary>Sessions against local stand-ins: endpoint override, call records, assumed-role sessions.</summary>
    public class AwsSessionTests
    {
        private static CannedResponse StsAnswer(RecordedRequest r, int i, DateTime expiration)
        {
            var body = r.BodyText;
            if (body.Contains("Action=GetCallerIdentity"))
            {
                return new CannedResponse
                {
                    ContentType = "text/xml",
                    Body = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                           + "<Arn>arn:aws:iam::111122223333:user/fms-admin</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>"
                           + "</GetCallerIdentityResult><ResponseMetadata><RequestId>sts-req-" + i + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
                };
            }
            var account = body.Split("iam%3A%3A")[1].Substring(0, 12);
            return new CannedResponse
            {
                ContentType = "text/xml",
                Body = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                       + "<AssumedRoleUser><Arn>arn:aws:sts::" + account + ":assumed-role/AWSControlTowerExecution/FmsTools-" + account + "</Arn>"
                       + "<AssumedRoleId>AROAEXAMPLE:FmsTools</AssumedRoleId></AssumedRoleUser>"
                       + "<Credentials><AccessKeyId>ASIAMEMBER" + account.Substring(2) + "</AccessKeyId><SecretAccessKey>member-secret</SecretAccessKey>"
                       + "<SessionToken>member-token-" + i + "</SessionToken><Expiration>" + expiration.ToString("yyyy-MM-ddTHH:mm:ssZ") + "</Expiration></Credentials>"
                       + "</AssumeRoleResult><ResponseMetadata><RequestId>sts-req-" + i + "</RequestId></ResponseMetadata></AssumeRoleResponse>",
            };
        }

        private static bool IsSts(RecordedRequest r) => r.Header("X-Amz-Target") == null;

        private static (LocalHttpServer Server, AwsSession Session, RecordingObserver Observer) Start(DateTime expiration)
        {
            var server = new LocalHttpServer((r, i) => IsSts(r) ? StsAnswer(r, i, expiration) : CannedResponse.Json("{\"PolicyList\":[]}", "fms-" + i));
            var observer = new RecordingObserver();
            var options = AwsTestSupport.IsolatedOptions();
            options.Region = "us-east-1";
            options.EndpointUrl = server.Url;
            options.AccessKey = AwsTestSupport.AccessKey;
            options.SecretKey = AwsTestSupport.SecretKey;
            options.Observer = observer;
            return (server, AwsSessionFactory.Create(options), observer);
        }

        [Fact]
        public async Task Endpoint_override_sends_every_service_including_sts_to_one_url()
        {
            var (server, session, observer) = Start(DateTime.UtcNow.AddHours(1));
            using (server)
            using (session)
            {
                Assert.Equal(server.Url, session.EndpointUrl);
                await session.Fms.ListPoliciesAsync(new ListPoliciesRequest());
                await session.Organizations.DescribeOrganizationAsync();
                await session.Wafv2.ListWebACLsAsync(new FmsTools.Aws.Wafv2.ListWebACLsRequest { Scope = "REGIONAL" });
                var identity = await session.Sts.GetCallerIdentityAsync();

                Assert.Equal(("111122223333", "arn:aws:iam::111122223333:user/fms-admin", "AIDAEXAMPLE"), (identity.Account, identity.Arn, identity.UserId));
                Assert.Equal(4, server.Requests.Count);
                Assert.Equal(new[] { "FMS", "Organizations", "WAFV2", "STS" }, observer.Calls.Select(c => c.Service));
                Assert.Equal("sts-req-4", observer.Calls.Last().RequestId);
                Assert.All(server.Requests, r => Assert.Contains("FmsTools/", r.Header("User-Agent")));
            }
        }

        [Fact]
        public async Task Member_sessions_are_assumed_once_and_cached_until_near_expiry()
        {
            var (server, session, observer) = Start(DateTime.UtcNow.AddHours(1));
            using (server)
            using (session)
            {
                var first = await session.ForAccountAsync("222233334444", null, CancellationToken.None);
                var second = await session.ForAccountAsync("222233334444", null, CancellationToken.None);
                Assert.Same(first, second);
                Assert.Equal("222233334444", first.AccountId);
                var assumeCalls = server.Requests.Where(IsSts).ToList();
                Assert.Single(assumeCalls);
                Assert.Contains("RoleArn=arn%3Aaws%3Aiam%3A%3A222233334444%3Arole%2FAWSControlTowerExecution", assumeCalls[0].BodyText);

                await first.Fms.ListPoliciesAsync(new ListPoliciesRequest());
                var fmsCall = server.Requests.Last();
                Assert.Contains("Credential=ASIAMEMBER2233334444/", fmsCall.Header("Authorization"));
                Assert.Equal("member-token-1", fmsCall.Header("X-Amz-Security-Token"));
                Assert.Equal("222233334444", observer.Calls.Last().AccountId);

                // Another role is another session; a member session delegates back to the root for other accounts.
                var other = await first.ForAccountAsync("555566667777", "OrganizationAccountAccessRole", CancellationToken.None);
                Assert.Equal("555566667777", other.AccountId);
                Assert.Equal(2, server.Requests.Count(IsSts));
            }
        }

        [Fact]
        public async Task Member_sessions_close_to_expiry_are_assumed_again()
        {
            var (server, session, _) = Start(DateTime.UtcNow.AddMinutes(2));
            using (server)
            using (session)
            {
                var first = await session.ForAccountAsync("222233334444", null, CancellationToken.None);
                var second = await session.ForAccountAsync("222233334444", null, CancellationToken.None);
                Assert.NotSame(first, second);
                Assert.True(server.Requests.Count(IsSts) >= 2);
            }
        }

        [Fact]
        public async Task Concurrent_requests_for_one_account_share_one_assume_role()
        {
            var (server, session, _) = Start(DateTime.UtcNow.AddHours(1));
            using (server)
            using (session)
            {
                var sessions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => session.ForAccountAsync("999988887777", null, CancellationToken.None)));
                Assert.All(sessions, s => Assert.Same(sessions[0], s));
                Assert.Single(server.Requests, IsSts);
            }
        }

        [Fact]
        public async Task Failed_assume_role_is_reported_and_not_cached()
        {
            var fail = true;
            using var server = new LocalHttpServer((r, i) => fail
                ? new CannedResponse
                {
                    Status = 403, ContentType = "text/xml",
                    Body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>deny-1</RequestId></ErrorResponse>",
                }
                : StsAnswer(r, i, DateTime.UtcNow.AddHours(1)));
            var options = AwsTestSupport.IsolatedOptions();
            options.Region = "us-east-1";
            options.EndpointUrl = server.Url;
            options.AccessKey = AwsTestSupport.AccessKey;
            options.SecretKey = AwsTestSupport.SecretKey;
            using var session = AwsSessionFactory.Create(options);

            var error = await Assert.ThrowsAsync<AwsServiceException>(() => session.ForAccountAsync("222233334444", null, CancellationToken.None));
            Assert.Equal("AccessDenied", error.ErrorCode);
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.Equal("AssumeRole", error.Operation);
            fail = false;
            var member = await session.ForAccountAsync("222233334444", null, CancellationToken.None);
            Assert.Equal("222233334444", member.AccountId);
        }

        [Fact]
        public async Task Account_ids_are_checked()
        {
            var (server, session, _) = Start(DateTime.UtcNow.AddHours(1));
            using (server)
            using (session)
            {
                await Assert.ThrowsAsync<ArgumentException>(() => session.ForAccountAsync("12345", null, CancellationToken.None));
                Assert.Empty(server.Requests);
            }
        }
    }
}
