using System;
using System.Collections.Generic;
using System.Net;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using Xunit;

namespace FmsTools.Tests.PolicyCmdlets
{
    /// <summary>PolicyService paths the sandbox cannot stage: a change that lands between the read and the put.</summary>
    public class PolicyServiceTests
    {
        /// <summary>An IFmsClient whose GetPolicy and PutPolicy are scripted; any other operation fails the test.</summary>
        public class ScriptedFms : DispatchProxy
        {
            public Func<GetPolicyRequest, GetPolicyResponse>? Get;
            public Func<PutPolicyRequest, PutPolicyResponse>? Put;
            public List<string> Calls { get; } = new List<string>();

            protected override object? Invoke(MethodInfo? method, object?[]? args)
            {
                Calls.Add(method!.Name);
                try
                {
                    switch (method.Name)
                    {
                        case nameof(IFmsClient.GetPolicyAsync): return Task.FromResult(Get!((GetPolicyRequest)args![0]!));
                        case nameof(IFmsClient.PutPolicyAsync): return Task.FromResult(Put!((PutPolicyRequest)args![0]!));
                        default: throw new System.InvalidOperationException("unexpected call " + method.Name);
                    }
                }
                catch (AwsServiceException e)
                {
                    if (method.Name == nameof(IFmsClient.PutPolicyAsync)) return Task.FromException<PutPolicyResponse>(e);
                    return Task.FromException<GetPolicyResponse>(e);
                }
            }
        }

        private static (IFmsClient Client, ScriptedFms Script) Client()
        {
            var client = DispatchProxy.Create<IFmsClient, ScriptedFms>();
            return (client, (ScriptedFms)(object)client);
        }

        private static Policy Wire(string token, string description)
        {
            var policy = PolicyWireMapper.ToWire(PolicyBuilder.DnsFirewall("dns").WithRuleGroup("rslvr-frg-0123456789abcdef", 1)
                .WithResourceTypes(FmsResourceTypes.Vpc).WithPolicyId("0123456789abcdef0123456789abcdef0123").WithDescription(description).Build());
            policy.PolicyUpdateToken = token;
            return policy;
        }

        [Fact]
        public async Task A_put_rejected_because_the_token_moved_becomes_a_conflict_with_both_versions()
        {
            var (client, script) = Client();
            var current = PolicyWireMapper.FromWire(Wire("1:old", "before"));
            script.Put = _ => throw new AwsServiceException("InvalidInputException", "The PolicyUpdateToken is out of date.", HttpStatusCode.BadRequest, "req-1", "PutPolicy");
            script.Get = _ => new GetPolicyResponse { Policy = Wire("1:new", "theirs"), PolicyArn = "arn:aws:fms:us-east-1:222222222222:policy/0123456789abcdef0123456789abcdef0123" };

            var desired = current.Clone();
            desired.Description = "mine";
            var service = new PolicyService(client, region: "us-east-1");
            var conflict = await Assert.ThrowsAsync<FmsConflictException>(() => service.UpdateAsync(desired, current, CancellationToken.None));
            Assert.Equal("1:old", conflict.YourToken);
            Assert.Equal("1:new", conflict.CurrentToken);
            Assert.Contains("theirs", conflict.Message);
            Assert.Contains("mine", conflict.Message);
            Assert.Equal(new[] { "PutPolicyAsync", "GetPolicyAsync" }, script.Calls);
        }

        [Fact]
        public async Task A_rejected_put_with_an_unchanged_token_keeps_the_service_error()
        {
            var (client, script) = Client();
            var current = PolicyWireMapper.FromWire(Wire("1:same", "before"));
            script.Put = _ => throw new AwsServiceException("InvalidInputException", "Resource set does not exist.", HttpStatusCode.BadRequest, "req-2", "PutPolicy");
            script.Get = _ => new GetPolicyResponse { Policy = Wire("1:same", "before") };

            var desired = current.Clone();
            desired.Description = "mine";
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => new PolicyService(client).UpdateAsync(desired, current, CancellationToken.None));
            Assert.Equal("InvalidInputException", error.ErrorCode);
        }

        [Fact]
        public async Task A_stale_object_is_refused_before_any_put()
        {
            var (client, script) = Client();
            var current = PolicyWireMapper.FromWire(Wire("1:new", "theirs"));
            var stale = PolicyWireMapper.FromWire(Wire("1:old", "mine"));
            await Assert.ThrowsAsync<FmsConflictException>(() => new PolicyService(client).UpdateAsync(stale, current, CancellationToken.None));
            Assert.Empty(script.Calls);
        }
    }
}
