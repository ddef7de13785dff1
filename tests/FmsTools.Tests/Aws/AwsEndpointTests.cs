using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Wafv2;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Aws
{
    public class AwsEndpointTests
    {
        [Theory]
        [InlineData("eu-west-1", false, false, "https://fms.eu-west-1.amazonaws.com/")]
        [InlineData("eu-west-1", true, false, "https://fms-fips.eu-west-1.amazonaws.com/")]
        [InlineData("eu-west-1", false, true, "https://fms.eu-west-1.api.aws/")]
        [InlineData("cn-north-1", false, false, "https://fms.cn-north-1.amazonaws.com.cn/")]
        public void Regional_endpoints_follow_the_rule_set(string region, bool fips, bool dualStack, string expected)
        {
            var endpoint = AwsEndpointResolver.Resolve(FmsService.Descriptor, region, fips, dualStack, null);
            Assert.Equal(expected, endpoint.Url.ToString());
            Assert.Equal(region, endpoint.SigningRegion);
            Assert.False(endpoint.IsOverride);
        }

        [Fact]
        public void Organizations_is_global_and_signed_for_us_east_1()
        {
            var endpoint = AwsEndpointResolver.Resolve(OrganizationsService.Descriptor, "ap-southeast-2", false, false, null);
            Assert.Equal("https://organizations.us-east-1.amazonaws.com/", endpoint.Url.ToString());
            Assert.Equal("us-east-1", endpoint.SigningRegion);
        }

        [Fact]
        public void Override_applies_as_given_and_excludes_fips_and_dual_stack()
        {
            var endpoint = AwsEndpointResolver.Resolve(Wafv2Service.Descriptor, "eu-west-1", false, false, "http://127.0.0.1:4566");
            Assert.Equal("http://127.0.0.1:4566/", endpoint.Url.ToString());
            Assert.Equal("eu-west-1", endpoint.SigningRegion);
            Assert.True(endpoint.IsOverride);
            Assert.Equal("UseFips", Assert.Throws<AwsConfigurationException>(() =>
                AwsEndpointResolver.Resolve(FmsService.Descriptor, "eu-west-1", true, false, "http://127.0.0.1:4566")).Setting);
            Assert.Equal("EndpointUrl", Assert.Throws<AwsConfigurationException>(() =>
                AwsEndpointResolver.Resolve(FmsService.Descriptor, "eu-west-1", false, false, "not a url")).Setting);
        }

        private const string BotocoreEndpoints = @"
import json, sys, boto3
from botocore.config import Config
ops = {'fms': 'ListPolicies', 'organizations': 'ListAccounts', 'wafv2': 'ListWebACLs'}
out = []
for svc in ops:
    for region in ['us-east-1', 'eu-west-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-2', 'sa-east-1']:
        for fips in (False, True):
            for dual in (False, True):
                c = boto3.client(svc, region_name=region, aws_access_key_id='a', aws_secret_access_key='b',
                                 config=Config(use_fips_endpoint=fips, use_dualstack_endpoint=dual))
                ep = c._ruleset_resolver.construct_endpoint(operation_model=c.meta.service_model.operation_model(ops[svc]),
                                                            call_args={}, request_context={})
                schemes = ep.properties.get('authSchemes') or [{}]
                out.append(dict(service=svc, region=region, fips=fips, dual=dual, url=ep.url,
                                signingRegion=schemes[0].get('signingRegion') or region))
print(json.dumps(out))
";

        [RequiresFact(Prerequisite.Botocore)]
        public void Resolved_endpoints_match_botocores_rule_set_resolver()
        {
            PythonTooling.RequireBotocore();
            var script = Path.Combine(Path.GetTempPath(), "fmstools-endpoints-" + Guid.NewGuid().ToString("N") + ".py");
            File.WriteAllText(script, BotocoreEndpoints);
            try
            {
                var (ok, output) = PythonTooling.Run("python3", "\"" + script + "\"");
                Assert.True(ok, output);
                var cases = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
                Assert.True(cases.Count >= 60);
                foreach (var c in cases)
                {
                    var service = c.GetProperty("service").GetString() switch
                    {
                        "fms" => FmsService.Descriptor,
                        "organizations" => OrganizationsService.Descriptor,
                        _ => Wafv2Service.Descriptor,
                    };
                    var ours = AwsEndpointResolver.Resolve(service, c.GetProperty("region").GetString()!, c.GetProperty("fips").GetBoolean(),
                        c.GetProperty("dual").GetBoolean(), null);
                    Assert.Equal(c.GetProperty("url").GetString()!.TrimEnd('/'), ours.Url.ToString().TrimEnd('/'));
                    Assert.Equal(c.GetProperty("signingRegion").GetString(), ours.SigningRegion);
                }
            }
            finally
            {
                File.Delete(script);
            }
        }
    }
}
