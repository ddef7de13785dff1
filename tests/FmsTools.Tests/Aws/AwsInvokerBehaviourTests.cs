using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Wafv2;
using Xunit;

namespace FmsTools.Tests.Aws
{
    public class AwsInvokerBehaviourTests
    {
        private const string Throttled = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";

        [Fact]
        public async Task Request_is_json_1_1_with_target_header_signed_and_null_members_omitted()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json("{\"PolicyList\":[{\"PolicyId\":\"p-1\"}],\"NextToken\":null}"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var response = await new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest { MaxResults = 5 });

            Assert.Equal("p-1", Assert.Single(response.PolicyList!).PolicyId);
            var request = Assert.Single(server.Requests);
            Assert.Equal("POST", request.Method);
            Assert.Equal("/", request.Path);
            Assert.Equal("AWSFMS_20180101.ListPolicies", request.Header("X-Amz-Target"));
            Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
            Assert.Equal("{\"MaxResults\":5}", request.BodyText);
            var authorization = request.Header("Authorization")!;
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + AwsTestSupport.AccessKey + "/", authorization);
            Assert.Contains("/us-east-1/fms/aws4_request", authorization);
            Assert.Contains("x-amz-target", authorization);
        }

        [Fact]
        public async Task User_agent_names_FmsTools_and_its_version()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json("{}"));
            using var invoker = AwsTestSupport.Invoker(OrganizationsService.Descriptor, AwsTestSupport.Settings(server));
            await new OrganizationsClient(invoker).DescribeOrganizationAsync();

            var expected = "FmsTools/" + typeof(AwsJsonInvoker).Assembly.GetName().Version!.ToString(3);
            Assert.Equal(expected, FmsToolsVersion.UserAgentToken);
            Assert.Contains(expected, Assert.Single(server.Requests).Header("User-Agent"));
        }

        [Fact]
        public async Task Throttled_call_is_retried_with_growing_backoff_then_succeeds()
        {
            using var server = new LocalHttpServer((r, i) => i <= 3
                ? CannedResponse.Error(400, Throttled, "req-throttle-" + i)
                : CannedResponse.Json("{\"AdminAccount\":\"111111111111\",\"RoleStatus\":\"READY\"}", "req-final"));
            var observer = new RecordingObserver();
            var timing = new RecordingRetryTiming(jitter: 1.0);
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server, observer, timing.Timing));

            var response = await new FmsClient(invoker).GetAdminAccountAsync(new GetAdminAccountRequest());

            Assert.Equal("111111111111", response.AdminAccount);
            Assert.Equal(4, server.Requests.Count);
            Assert.Equal(3, timing.Delays.Count);
            for (var i = 1; i < timing.Delays.Count; i++) Assert.True(timing.Delays[i] > timing.Delays[i - 1], string.Join(", ", timing.Delays));
            var record = Assert.Single(observer.Calls);
            Assert.Equal(4, record.Attempts);
            Assert.Equal(200, record.HttpStatus);
            Assert.Equal("req-final", record.RequestId);
            Assert.Null(record.ErrorCode);
            Assert.Equal("FMS", record.Service);
            Assert.Equal("GetAdminAccount", record.Operation);
        }

        [Fact]
        public async Task Jittered_backoff_stays_under_the_growing_ceiling()
        {
            using var server = new LocalHttpServer((r, i) => i <= 4
                ? CannedResponse.Error(400, "{\"__type\":\"TooManyRequestsException\",\"Message\":\"slow down\"}", "r" + i)
                : CannedResponse.Json("{}"));
            var timing = new RecordingRetryTiming(jitter: 0.5);
            using var invoker = AwsTestSupport.Invoker(OrganizationsService.Descriptor, AwsTestSupport.Settings(server, timing: timing.Timing));
            await new OrganizationsClient(invoker).DescribeOrganizationAsync();

            Assert.Equal(new[] { 500.0, 1000.0, 2000.0, 4000.0 }, timing.Delays.Select(d => d.TotalMilliseconds).ToArray());
        }

        [Fact]
        public async Task Server_errors_and_dropped_connections_are_retried()
        {
            using var server = new LocalHttpServer((r, i) => i switch
            {
                1 => CannedResponse.Error(503, "", "r1"),
                2 => new CannedResponse { DropConnection = true },
                3 => CannedResponse.Error(500, "{\"__type\":\"InternalErrorException\",\"Message\":\"boom\"}", "r3"),
                _ => CannedResponse.Json("{\"PolicyList\":[]}", "r4"),
            });
            var observer = new RecordingObserver();
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server, observer));
            Assert.Contains("RetryHandler(TimedStandardRetryPolicy)", invoker.PipelineHandlers());
            await new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest());
            Assert.Equal(4, server.Requests.Count);
            Assert.Equal(4, Assert.Single(observer.Calls).Attempts);
        }

        [Fact]
        public async Task Retries_stop_at_max_attempts_and_surface_the_last_error()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Error(400, Throttled, "req-" + i));
            var observer = new RecordingObserver();
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server, observer, maxAttempts: 3));
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest()));
            Assert.Equal("ThrottlingException", error.ErrorCode);
            Assert.Equal("req-3", error.RequestId);
            Assert.Equal(3, server.Requests.Count);
            var record = Assert.Single(observer.Calls);
            Assert.Equal(3, record.Attempts);
            Assert.Equal("ThrottlingException", record.ErrorCode);
        }

        [Fact]
        public async Task Adaptive_mode_uses_the_sdk_adaptive_policy_and_retries()
        {
            // A transient 503 does not engage the send-rate token bucket (only throttles do; see the tests below).
            using var server = new LocalHttpServer((r, i) => i <= 1 ? CannedResponse.Error(503, "", "t" + i) : CannedResponse.Json("{}"));
            var observer = new RecordingObserver();
            using var invoker = AwsTestSupport.Invoker(OrganizationsService.Descriptor,
                AwsTestSupport.Settings(server, observer, mode: AwsRetryMode.Adaptive));
            Assert.Contains("RetryHandler(TimedAdaptiveRetryPolicy)", invoker.PipelineHandlers());
            await new OrganizationsClient(invoker).DescribeOrganizationAsync();
            Assert.Equal(2, Assert.Single(observer.Calls).Attempts);
        }

        [Fact]
        public async Task Adaptive_mode_new_client_throttled_on_its_first_calls_retries_until_it_gets_the_answer()
        {
            // A brand-new adaptive client whose first four answers are throttles: the adaptive spec slows sending
            // down and retries within the attempt limit; it does not fail with a client-side capacity error.
            using var server = new LocalHttpServer((r, i) => i <= 4
                ? CannedResponse.Error(400, Throttled, "t" + i)
                : CannedResponse.Json("{\"AdminAccount\":\"111111111111\",\"RoleStatus\":\"READY\"}", "ok"));
            var observer = new RecordingObserver();
            var timing = new RecordingRetryTiming(jitter: 0.0);
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor,
                AwsTestSupport.Settings(server, observer, timing.Timing, maxAttempts: 6, mode: AwsRetryMode.Adaptive));

            var response = await new FmsClient(invoker).GetAdminAccountAsync(new GetAdminAccountRequest());

            Assert.Equal("111111111111", response.AdminAccount);
            Assert.Equal(5, server.Requests.Count);
            var record = Assert.Single(observer.Calls);
            Assert.Equal(5, record.Attempts);
            Assert.Null(record.ErrorCode);
            // It slowed down: with the backoff jitter at 0, the only waits are for send tokens. After each throttle
            // the bucket's fill rate is the spec's minimum (0.5 tokens/s), so each retry waited 2 s for its token.
            Assert.Equal(4, timing.Delays.Count(d => d == TimeSpan.FromSeconds(2)));
        }

        [Fact]
        public async Task Adaptive_mode_throttled_beyond_the_attempt_limit_fails_with_throttling_after_max_attempts()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Error(400, Throttled, "t" + i));
            var observer = new RecordingObserver();
            var timing = new RecordingRetryTiming(jitter: 0.0);
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor,
                AwsTestSupport.Settings(server, observer, timing.Timing, maxAttempts: 5, mode: AwsRetryMode.Adaptive));

            var error = await Assert.ThrowsAsync<AwsServiceException>(() => new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest()));

            Assert.Equal("ThrottlingException", error.ErrorCode);
            Assert.Equal("t5", error.RequestId);
            Assert.Equal(5, server.Requests.Count);
            Assert.Equal(5, Assert.Single(observer.Calls).Attempts);
            Assert.Equal(4, timing.Delays.Count(d => d == TimeSpan.FromSeconds(2)));
        }

        [Fact]
        public async Task Non_retryable_error_surfaces_once_as_typed_exception_with_code_status_and_request_id()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Error(400,
                "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"No policy with id p-404\"}", "req-404"));
            var observer = new RecordingObserver();
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server, observer));

            var error = await Assert.ThrowsAsync<FmsResourceNotFoundException>(() =>
                new FmsClient(invoker).GetPolicyAsync(new GetPolicyRequest { PolicyId = new string('a', 36) }));

            Assert.Equal("ResourceNotFoundException", error.ErrorCode);
            Assert.Equal("No policy with id p-404", error.Message);
            Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
            Assert.Equal("req-404", error.RequestId);
            Assert.Equal("GetPolicy", error.Operation);
            Assert.Single(server.Requests);
            var record = Assert.Single(observer.Calls);
            Assert.Equal(("ResourceNotFoundException", 1, 400, "req-404"), (record.ErrorCode, record.Attempts, record.HttpStatus, record.RequestId));
        }

        [Fact]
        public async Task Access_denied_is_not_modeled_and_stays_a_plain_service_exception()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Error(400,
                "{\"__type\":\"AccessDeniedException\",\"Message\":\"Operation: PutPolicy is only available to Administration account in AWS Firewall Manager.\"}", "req-ad"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest()));
            Assert.Equal(typeof(AwsServiceException), error.GetType());
            Assert.Equal("AccessDeniedException", error.ErrorCode);
            Assert.Single(server.Requests);
        }

        [Theory]
        [InlineData("InvalidInputException", typeof(FmsInvalidInputException))]
        [InlineData("InvalidOperationException", typeof(FmsInvalidOperationException))]
        [InlineData("LimitExceededException", typeof(FmsLimitExceededException))]
        [InlineData("InvalidTypeException", typeof(FmsInvalidTypeException))]
        [InlineData("ResourceNotFoundException", typeof(FmsResourceNotFoundException))]
        public async Task Fms_modeled_errors_map_to_their_own_types(string code, Type expected)
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Error(400, "{\"__type\":\"" + code + "\",\"Message\":\"m\"}", "rid"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var error = await Assert.ThrowsAnyAsync<AwsServiceException>(() => new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest()));
            Assert.Equal(expected, error.GetType());
            Assert.Equal(code, error.ErrorCode);
        }

        [Fact]
        public async Task Internal_error_with_http_400_is_not_retried_but_typed()
        {
            // FMS answers its modeled InternalErrorException with HTTP 400 (reference #2); the SDK only retries 5xx.
            using var server = new LocalHttpServer((r, i) => CannedResponse.Error(400, "{\"__type\":\"InternalErrorException\",\"Message\":\"x\"}", "rid"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            await Assert.ThrowsAsync<FmsInternalErrorException>(() => new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest()));
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task Header_error_type_wins_over_body_and_namespace_prefixes_are_removed()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Error(400,
                "{\"__type\":\"com.amazonaws.fms#InvalidInputException\",\"message\":\"body says input\"}", "rid",
                errorTypeHeader: "InvalidOperationException:http://internal.amazon.com/coral/com.amazonaws.fms/"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var error = await Assert.ThrowsAsync<FmsInvalidOperationException>(() => new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest()));
            Assert.Equal("body says input", error.Message);
        }

        [Fact]
        public async Task Wafv2_and_organizations_errors_are_typed_with_their_service_prefix()
        {
            using var server = new LocalHttpServer((r, i) => r.Header("X-Amz-Target")!.StartsWith("AWSWAF_")
                ? CannedResponse.Error(400, "{\"__type\":\"WAFNonexistentItemException\",\"Message\":\"gone\"}", "w")
                : CannedResponse.Error(400, "{\"__type\":\"AWSOrganizationsNotInUseException\",\"Message\":\"no org\"}", "o"));
            using var waf = AwsTestSupport.Invoker(Wafv2Service.Descriptor, AwsTestSupport.Settings(server));
            using var org = AwsTestSupport.Invoker(OrganizationsService.Descriptor, AwsTestSupport.Settings(server));
            await Assert.ThrowsAsync<Wafv2NonexistentItemException>(() => new Wafv2Client(waf).GetWebACLAsync(
                new GetWebACLRequest { Name = "acl", Id = "id-1", Scope = ScopeValues.Regional }));
            await Assert.ThrowsAsync<OrganizationsAWSOrganizationsNotInUseException>(() => new OrganizationsClient(org).DescribeOrganizationAsync());
        }

        [Fact]
        public async Task Cancellation_stops_an_in_flight_call()
        {
            var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var arrived = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var server = new LocalHttpServer((r, i) =>
            {
                arrived.TrySetResult(true);
                return new CannedResponse { Body = "{}", HoldUntil = release.Task };
            });
            var observer = new RecordingObserver();
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server, observer));
            using var cts = new CancellationTokenSource();
            var call = new FmsClient(invoker).ListPoliciesAsync(new ListPoliciesRequest(), cts.Token);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
            release.TrySetResult(true);
            Assert.Single(server.Requests);
            Assert.Equal("OperationCanceled", Assert.Single(observer.Calls).ErrorCode);
        }

        [Fact]
        public async Task Missing_required_member_fails_before_sending_and_names_the_member()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json("{}"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var client = new FmsClient(invoker);

            var missing = await Assert.ThrowsAsync<AwsRequestValidationException>(() => client.PutPolicyAsync(new PutPolicyRequest
            {
                Policy = new Policy { PolicyName = "p", ResourceType = "AWS::ElasticLoadBalancingV2::LoadBalancer", ExcludeResourceTags = false, RemediationEnabled = false },
            }));
            Assert.Equal("Policy.SecurityServicePolicyData", missing.MemberPath);
            Assert.Contains("PutPolicy", missing.Message);
            Assert.Contains("Policy.SecurityServicePolicyData is required", missing.Message);

            var tooLong = await Assert.ThrowsAsync<AwsRequestValidationException>(() => client.ListPoliciesAsync(new ListPoliciesRequest { MaxResults = 101 }));
            Assert.Equal("MaxResults", tooLong.MemberPath);
            Assert.Contains("maximum is 100", tooLong.Message);
            Assert.Empty(server.Requests);
        }

        [Fact]
        public async Task Call_records_never_contain_secrets()
        {
            using var server = new LocalHttpServer((r, i) => i == 1 ? CannedResponse.Error(400, Throttled, "r1") : CannedResponse.Json("{}", "r2"));
            var observer = new RecordingObserver();
            using var invoker = AwsTestSupport.Invoker(OrganizationsService.Descriptor, AwsTestSupport.Settings(server, observer));
            await new OrganizationsClient(invoker).DescribeOrganizationAsync();
            var record = Assert.Single(observer.Calls);
            var text = record.ToString() + JsonSerializer.Serialize(record);
            Assert.DoesNotContain(AwsTestSupport.SecretKey, text);
            Assert.DoesNotContain(AwsTestSupport.AccessKey, text);
            Assert.DoesNotContain("Signature", text);
        }

        [Fact]
        public async Task Unknown_response_members_are_ignored_and_timestamps_are_epoch_seconds()
        {
            using var server = new LocalHttpServer((r, i) => CannedResponse.Json(
                "{\"Policy\":{\"PolicyName\":\"n\",\"NewMemberFromTheFuture\":{\"x\":1}},\"PolicyArn\":\"arn\"}"));
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var response = await new FmsClient(invoker).GetPolicyAsync(new GetPolicyRequest { PolicyId = new string('b', 36) });
            Assert.Equal("n", response.Policy!.PolicyName);
            Assert.Equal("arn", response.PolicyArn);
        }

        [Fact]
        public async Task Empty_body_answers_give_empty_responses()
        {
            using var server = new LocalHttpServer((r, i) => new CannedResponse { Body = "" });
            using var invoker = AwsTestSupport.Invoker(FmsService.Descriptor, AwsTestSupport.Settings(server));
            var response = await new FmsClient(invoker).DeletePolicyAsync(new DeletePolicyRequest { PolicyId = new string('c', 36) });
            Assert.NotNull(response);
        }
    }
}
