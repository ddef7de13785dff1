using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Wafv2;
using FmsTools.Engine.Connection;
using FmsTools.Engine.History;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Cmdlets;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// A demo sandbox with the objects the demo does not have (apps and protocols lists with names that need quoting, a
    /// resource set with a member, tags on a policy), a change journal in a temporary folder, and one PowerShell runspace
    /// connected to the sandbox (Connect-Fms) whose current location holds a file, so falling back to file names shows.
    /// </summary>
    public sealed class TabCompletionSandbox : IDisposable
    {
        public const string AppsListName = "corp web apps";
        public const string ProtocolsListName = "corp-protocols";
        public const string ResourceSetName = "inspected vpcs";
        public const string DecoyFile = "zz-not-a-value.txt";

        private readonly SandboxCmdletFixture _sandbox = new SandboxCmdletFixture();

        public TabCompletionSandbox()
        {
            Seed().GetAwaiter().GetResult();
            Folder = Path.Combine(Path.GetTempPath(), "fmstools-tab-" + Guid.NewGuid().ToString("N"));
            JournalFolder = Path.Combine(Folder, "journal");
            Directory.CreateDirectory(JournalFolder);
            File.WriteAllText(Path.Combine(Folder, DecoyFile), "");
            SeedJournal().GetAwaiter().GetResult();
            Session = new PowerShellSession();
            Session.Set("sandbox", _sandbox.Host);
            Session.Set("tabFolder", Folder);
            Session.Run("$null = $sandbox | Connect-Fms; Set-Location -LiteralPath $tabFolder").ShouldSucceed();
        }

        public FmsTools.Sandbox.SandboxHost Host => _sandbox.Host;
        public PowerShellSession Session { get; }
        public string Folder { get; }
        public string JournalFolder { get; }
        public string ResourceSetId { get; private set; } = "";
        public string ResourceSetMember { get; private set; } = "";
        public string TaggedPolicyArn { get; private set; } = "";
        public string JournalPolicyId => "11111111-2222-3333-4444-555555555555";
        public string DeletedPolicyId => "99999999-8888-7777-6666-555555555555";

        /// <summary>A session that talks to the sandbox directly, without FmsTools' completers (expected values).</summary>
        public AwsSession Direct(bool management = false) => SessionCache.GetOrCreate(ConnectionResolver.Resolve(new[]
        {
            new ConnectionSettings
            {
                Source = "test",
                EndpointUrl = Host.Endpoint,
                Region = Host.Region,
                AccessKey = management ? Host.ManagementAccessKeyId : Host.AccessKeyId,
                SecretKey = management ? Host.ManagementSecretAccessKey : Host.SecretAccessKey,
            },
        }).Options);

        private async Task Seed()
        {
            var fms = Direct().Fms;
            await fms.PutAppsListAsync(new PutAppsListRequest
            {
                AppsList = new AppsListData { ListName = AppsListName, AppsList = new List<App> { new App { AppName = "https", Protocol = "tcp", Port = 443 } } },
            });
            await fms.PutProtocolsListAsync(new PutProtocolsListRequest
            {
                ProtocolsList = new ProtocolsListData { ListName = ProtocolsListName, ProtocolsList = new List<string> { "tcp", "udp" } },
            });
            var set = await fms.PutResourceSetAsync(new PutResourceSetRequest
            {
                ResourceSet = new ResourceSet { Name = ResourceSetName, ResourceTypeList = new List<string> { "AWS::EC2::VPC" } },
            });
            ResourceSetId = set.ResourceSet!.Id!;
            await foreach (var vpc in fms.ListDiscoveredResourcesItemsAsync(new ListDiscoveredResourcesRequest
                           { MemberAccountIds = new List<string> { DemoOrganization.ProdEuWeb }, ResourceType = "AWS::EC2::VPC", MaxResults = 100 }))
            {
                ResourceSetMember = vpc.URI!;
                break;
            }
            await fms.BatchAssociateResourceAsync(new BatchAssociateResourceRequest { ResourceSetIdentifier = ResourceSetId, Items = new List<string> { ResourceSetMember } });
            await foreach (var policy in fms.ListPoliciesItemsAsync(new ListPoliciesRequest { MaxResults = 100 }))
            {
                if (policy.PolicyName != DemoOrganization.ShieldPolicyName) continue;
                TaggedPolicyArn = policy.PolicyArn!;
            }
            await fms.TagResourceAsync(new TagResourceRequest
            {
                ResourceArn = TaggedPolicyArn,
                TagList = new List<Tag> { new Tag { Key = "owner", Value = "network team" }, new Tag { Key = "cost-center", Value = "42" } },
            });
        }

        private async Task SeedJournal()
        {
            var store = new ChangeJournalStore(JournalFolder);
            var start = new DateTime(2030, 1, 1, 9, 0, 0, DateTimeKind.Utc);
            var document = "{\"kind\":\"fmstools.policy/v1\"}";
            async Task Add(int minutes, string operation, string policyId, string policyName, string caller, string? after, string? before = null)
                => await store.AppendAsync(new FmsChangeEntry
                {
                    Id = Guid.NewGuid().ToString("N"), Time = start.AddMinutes(minutes), CallerArn = caller, Operation = operation,
                    TargetTypeValue = ChangeTargetType.Policy, PolicyId = policyId, PolicyName = policyName, PolicyType = "WAFV2", Region = "us-east-1",
                    BeforeDocument = before, AfterDocument = after, OutcomeValue = ChangeOutcome.Succeeded,
                }, CancellationToken.None);
            await Add(0, ChangeOperations.CreatePolicy, JournalPolicyId, "journal-waf", "arn:aws:iam::222222222222:role/Deploy", document);
            await Add(5, ChangeOperations.UpdatePolicy, JournalPolicyId, "journal-waf", "arn:aws:sts::222222222222:assumed-role/Admin/alice", document, document);
            await Add(9, ChangeOperations.UpdatePolicy, JournalPolicyId, "journal-waf", "arn:aws:iam::222222222222:role/Deploy", document, document);
            await Add(20, ChangeOperations.DeletePolicy, DeletedPolicyId, "retired shield", "arn:aws:iam::222222222222:role/Deploy", null, document);
            await store.AppendAsync(new FmsChangeEntry
            {
                Id = Guid.NewGuid().ToString("N"), Time = start.AddMinutes(30), CallerArn = "arn:aws:iam::222222222222:role/Deploy",
                Operation = ChangeOperations.CreateAppsList, TargetTypeValue = ChangeTargetType.AppsList, TargetId = "list-0001", TargetName = "journal apps",
                AfterDocument = "{}", OutcomeValue = ChangeOutcome.Succeeded,
            }, CancellationToken.None);
        }

        public void Dispose()
        {
            Session.Dispose();
            _sandbox.Dispose();
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
