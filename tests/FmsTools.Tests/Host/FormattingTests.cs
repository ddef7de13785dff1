using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FmsTools.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// One demo sandbox and one real runspace for the formatting tests: its script runs every cmdlet a user would run to
    /// see each output type (and the objects nested in them that users format on their own) and keeps the results in
    /// $samples, by type name.
    /// </summary>
    public sealed class FormattingFixture : IDisposable
    {
        private const string SampleScript = @"
$ErrorActionPreference = 'Stop'
$WarningPreference = 'SilentlyContinue'
$samples = @{}
function Add-Sample {
    process {
        if ($null -eq $_) { return }
        $name = $_.GetType().FullName
        if (-not $samples.ContainsKey($name)) { $samples[$name] = [System.Collections.Generic.List[object]]::new() }
        $samples[$name].Add($_)
    }
}
$sandbox = Start-FmsSandbox -Demo -FreezeClock
$sandbox | Add-Sample
$sandbox | Connect-Fms | Add-Sample
$management = @{ EndpointUrl = $sandbox.Endpoint; AccessKey = $sandbox.ManagementAccessKeyId; SecretKey = $sandbox.ManagementSecretAccessKey; Region = $sandbox.Region }

# Policies and policies as code.
$policies = @(Get-FmsPolicy)
$policies | Add-Sample
Get-FmsPolicy -Detailed | Add-Sample
$bad = New-FmsWafPolicy -Name okpolicy -ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer -ManagedRuleGroup 'AWS/AWSManagedRulesCommonRuleSet' -IncludeAccount 123456789012 -Offline
$bad.Name = 'bad policy!'
$bad.Description = 'x' * 300
$bad | Test-FmsPolicy | Add-Sample
$policyFolder = Join-Path $workFolder 'policies'
Get-FmsPolicy | Export-FmsPolicy -Path $policyFolder | Add-Sample
$shield = Get-FmsPolicy -Name demo-shield-advanced
Set-FmsPolicy -PolicyId $shield.PolicyId -Description 'changed outside the files'
Import-FmsPolicy -Path $policyFolder | Compare-FmsPolicy -Summary | Add-Sample
Import-FmsPolicy -Path $policyFolder | Compare-FmsPolicy | Add-Sample
Sync-FmsPolicy -Path $policyFolder -WhatIf | Add-Sample
Get-FmsChangeHistory -PolicyId $shield.PolicyId | Add-Sample

# Compliance, violations and what is nested in them, remediation, reports.
Get-FmsComplianceStatus | Add-Sample
$violations = @(Get-FmsComplianceStatus -Status NonCompliant | Get-FmsViolation -IncludeDetail)
$violations | Add-Sample
$details = @($violations | ForEach-Object { $_.Details })
$details | Add-Sample
$details | ForEach-Object { $_.ViolatingRoutes } | Add-Sample
$details | ForEach-Object { $_.ExpectedRoutes } | Add-Sample
$options = @($violations | ForEach-Object { $_.PossibleRemediationActions })
$options | Add-Sample
$options | ForEach-Object { $_.Actions } | Add-Sample
$report = Get-FmsComplianceReport -AsReport
$report | Add-Sample
$report | Export-FmsComplianceReport -Format Html, JUnit, Csv -Path (Join-Path $workFolder 'compliance.html') | Add-Sample
$report, $report | Merge-FmsComplianceReport -OrganizationName Production, Lab | Add-Sample
Get-FmsPolicy | Invoke-FmsRemediation -WhatIf | Add-Sample
Get-FmsPolicy -Name demo-network-firewall | Invoke-FmsRemediation -MemberRoleName OrganizationAccountAccessRole -WhatIf | ForEach-Object { $_.Ec2Steps } | Add-Sample
Test-FmsCompliance | Add-Sample
Get-FmsPolicy | Get-FmsCostEstimate | Add-Sample

# A transition seen by Watch-FmsCompliance: a load balancer loses its web ACL.
$snapshot = Join-Path $workFolder 'watch.json'
Watch-FmsCompliance -PolicyName 'demo-waf-*' -Once -SnapshotPath $snapshot | Out-Null
$albType = [uri]::EscapeDataString('AWS::ElasticLoadBalancingV2::LoadBalancer')
$alb = Invoke-RestMethod -Uri ""$($sandbox.Endpoint)/_sandbox/resources?accountId=310000000003&region=us-east-1&type=$albType"" | Select-Object -First 1
Invoke-RestMethod -Method Post -Uri ""$($sandbox.Endpoint)/_sandbox/resources/webacl"" -ContentType application/json -Body (ConvertTo-Json @{ resource = $alb.arn; webAclArn = $null }) | Out-Null
Watch-FmsCompliance -PolicyName 'demo-waf-*' -Once -SnapshotPath $snapshot | Add-Sample

# Lists, resource sets, organization settings, tags.
Set-FmsAppsList -Name corp-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }, @{ Name = 'ssh'; Protocol = 'tcp'; Port = 22 }, @{ Name = 'dns'; Protocol = 'udp'; Port = 53 } -PassThru | Add-Sample
Set-FmsProtocolsList -Name corp-protocols -Protocol tcp, udp, icmp -PassThru | Add-Sample
$set = Set-FmsResourceSet -Name prod-vpcs -ResourceType 'AWS::EC2::VPC', 'AWS::ElasticLoadBalancingV2::LoadBalancer' -Description 'Production VPCs' -PassThru
$set | Add-Sample
$set | Add-FmsResourceSetResource -Uri 'arn:aws:ec2:us-east-1:310000000003:vpc/vpc-0123456789abcdef0', 'arn:aws:elasticloadbalancing:us-east-1:310000000002:loadbalancer/app/prod-api-alb/6b54cbde456065c7' | Add-Sample
$set | Get-FmsResourceSetResource | Add-Sample
Set-FmsNotificationChannel -SnsTopicArn 'arn:aws:sns:us-east-1:222222222222:fms-notifications' -SnsRoleArn 'arn:aws:iam::222222222222:role/fms-sns-publisher'
Get-FmsNotificationChannel | Add-Sample
$admins = @(Get-FmsAdminAccount -All -IncludeScope @management)
$admins | Add-Sample
$admins | Get-FmsAdminScope @management | Add-Sample
Set-FmsTag -ResourceArn $policies[0].Arn -Tag @{ owner = 'secops'; env = 'prod'; 'cost-center' = 'security-platform-1234' }
Get-FmsTag -ResourceArn $policies[0].Arn | Add-Sample
Get-FmsSandboxRequest | Select-Object -Last 10 | Add-Sample

# The whole configuration as code: files written, objects read back, and a finding (a policy naming a missing resource set).
$configFolder = Join-Path $workFolder 'configuration'
Export-FmsConfiguration -Path $configFolder | Add-Sample
Import-FmsConfiguration -Path $configFolder | Add-Sample
$null = New-FmsImportNetworkFirewallPolicy -Name scoped-import -ResourceSetId $set.Id
$null = Export-FmsConfiguration -Path $configFolder -Kind Policy
$scoped = Join-Path $configFolder 'us-east-1/policies/scoped-import.fmspolicy.json'
(Get-Content -Raw $scoped).Replace('""prod-vpcs""', '""a-resource-set-that-is-not-in-the-folder""') | Set-Content -NoNewline $scoped
Test-FmsConfiguration -Path $configFolder | Add-Sample
(Get-Content -Raw $scoped).Replace('""a-resource-set-that-is-not-in-the-folder""', '""prod-vpcs""') | Set-Content -NoNewline $scoped
$appsFile = @(Get-ChildItem (Join-Path $configFolder 'us-east-1/apps-lists') -File)[0].FullName
(Get-Content -Raw $appsFile).Replace('""port"": ', '""port"": 1') | Set-Content -NoNewline $appsFile
Compare-FmsConfiguration -Path $configFolder -Kind AppsList, Policy | Add-Sample
Sync-FmsConfiguration -Path $configFolder -Kind AppsList -WhatIf | Add-Sample
Disconnect-Fms -PassThru | Add-Sample
";

        public FormattingFixture()
        {
            Folder = Path.Combine(Path.GetTempPath(), "fmstools-formatting-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Folder);
            Session = new PowerShellSession();
            Session.Set("workFolder", Folder);
            Session.Run(SampleScript).ShouldSucceed();
        }

        public PowerShellSession Session { get; }

        public string Folder { get; }

        public void Dispose()
        {
            Session.Run("$sandbox | Stop-FmsSandbox -Confirm:$false");
            Session.Dispose();
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// What a user sees of every output type in PowerShell's own formatting, CSV and JSON, rendered in a real runspace from
    /// real objects. The types are every [OutputType] of every cmdlet (so a new type without a good view fails here) and
    /// the objects nested in them that users format on their own.
    /// </summary>
    public sealed class FormattingTests : IClassFixture<FormattingFixture>
    {
        /// <summary>Objects users reach inside an output and format on their own (Details, PossibleRemediationActions, ...).</summary>
        private static readonly string[] NestedTypes =
        {
            "FmsTools.Engine.Compliance.FmsViolationDetail",
            "FmsTools.Engine.Compliance.FmsRoute",
            "FmsTools.Engine.Compliance.FmsExpectedRoute",
            "FmsTools.Engine.Compliance.FmsRemediationOption",
            "FmsTools.Engine.Compliance.FmsRemediationActionStep",
            "FmsTools.Engine.Remediation.Ec2StepResult",
        };

        /// <summary>The columns a user sees in each default table, in order: at 80 characters and at 120, all of them.</summary>
        private static readonly Dictionary<string, string[]> ExpectedHeaders = new Dictionary<string, string[]>
        {
            ["FmsTools.Commands.ComplianceSupport.ComplianceReportFile"] = new[] { "Format", "Length", "Rows", "NonCompliant", "Name" },
            ["FmsTools.Commands.ComplianceSupport.FmsComplianceTestResult"] = new[] { "IsCompliant", "Policies", "Accounts", "Evaluations", "NonCompliant", "Violators" },
            ["FmsTools.Engine.Remediation.Ec2StepResult"] = new[] { "Outcome", "Account", "Ec2Call" },
            ["FmsTools.Engine.Administration.FmsAdminAccount"] = new[] { "AccountId", "Status", "Default", "Scope" },
            ["FmsTools.Engine.Administration.FmsAdminScope"] = new[] { "Accounts", "OUs", "Regions", "PolicyTypes" },
            ["FmsTools.Engine.Administration.FmsAppsList"] = new[] { "Name", "ListId", "Apps" },
            ["FmsTools.Engine.Administration.FmsNotificationChannel"] = new[] { "SnsTopicArn", "SnsRoleName" },
            ["FmsTools.Engine.Administration.FmsProtocolsList"] = new[] { "Name", "ListId", "Protocols" },
            ["FmsTools.Engine.Administration.FmsResourceSet"] = new[] { "Name", "Id", "ResourceTypes" },
            ["FmsTools.Engine.Administration.FmsResourceSetChange"] = new[] { "Action", "Succeeded", "Uri", "FailureReason" },
            ["FmsTools.Engine.Administration.FmsResourceSetResource"] = new[] { "ResourceSetId", "AccountId", "Uri" },
            ["FmsTools.Engine.Administration.FmsTag"] = new[] { "Key", "Value", "ResourceArn" },
            ["FmsTools.Engine.Compliance.FmsComplianceStatus"] = new[] { "Policy", "Account", "Status", "Violators", "Reasons" },
            ["FmsTools.Engine.Compliance.FmsViolation"] = new[] { "Account", "Reason", "Resource" },
            ["FmsTools.Engine.Compliance.FmsViolationDetail"] = new[] { "Target", "Description" },
            ["FmsTools.Engine.Compliance.FmsRoute"] = new[] { "Destination", "Target", "TargetType", "DestinationType" },
            ["FmsTools.Engine.Compliance.FmsExpectedRoute"] = new[] { "Destination", "RouteTable", "AllowedTargets" },
            ["FmsTools.Engine.Compliance.FmsRemediationOption"] = new[] { "Default", "Steps", "Description" },
            ["FmsTools.Engine.Compliance.FmsRemediationActionStep"] = new[] { "Order", "Action", "Description" },
            ["FmsTools.Engine.Connection.ConnectionSettings"] = new[] { "Source", "ProfileName", "Region", "EndpointUrl" },
            ["FmsTools.Engine.Connection.FmsContext"] = new[] { "Account", "Region", "Admin", "IsAdmin", "Sandbox", "Caller" },
            ["FmsTools.Engine.Cost.FmsCostEstimate"] = new[] { "Level", "Policy", "Account", "Monthly", "Breakdown" },
            ["FmsTools.Engine.History.FmsChangeEntry"] = new[] { "Time", "Operation", "Version", "Outcome", "Target" },
            ["FmsTools.Engine.History.FmsComplianceChange"] = new[] { "Transition", "Policy", "Account", "Resource" },
            ["FmsTools.Engine.Policies.FmsPolicy"] = new[] { "Name", "Type", "Remediate", "ResourceTypes" },
            ["FmsTools.Engine.Policies.PolicyFinding"] = new[] { "Severity", "Field", "Message" },
            ["FmsTools.Engine.PolicyOperations.FmsPolicyComparison"] = new[] { "Policy", "Status", "Differences", "Paths" },
            ["FmsTools.Engine.PolicyOperations.FmsPolicyDifference"] = new[] { "Policy", "Kind", "Path", "Change" },
            ["FmsTools.Engine.PolicyOperations.PolicyFileInfo"] = new[] { "LastWriteTime", "Length", "Name" },
            ["FmsTools.Engine.Configuration.FmsConfigurationFile"] = new[] { "Status", "Kind", "File" },
            ["FmsTools.Engine.Configuration.FmsConfigurationItem"] = new[] { "Kind", "Region", "Name", "Summary" },
            ["FmsTools.Engine.Configuration.FmsConfigurationFinding"] = new[] { "Severity", "File", "Message" },
            ["FmsTools.Engine.Configuration.FmsConfigurationDifference"] = new[] { "Change", "Kind", "Name", "Field", "Live -> Folder" },
            ["FmsTools.Engine.Configuration.FmsConfigurationSyncResult"] = new[] { "Action", "Status", "Kind", "Changes", "Name" },
            ["FmsTools.Engine.PolicyOperations.PolicySyncResult"] = new[] { "Action", "Status", "Differences", "Name" },
            ["FmsTools.Engine.Remediation.RemediationResult"] = new[] { "Outcome", "Resource", "Action" },
            ["FmsTools.Engine.Reports.ComplianceReport"] = new[] { "Generated", "Policies", "Accounts", "NonCompliant", "Violators", "Compliance" },
            ["FmsTools.Sandbox.RequestLogEntry"] = new[] { "Time", "Operation", "Account", "Mutating", "Outcome" },
            ["FmsTools.Sandbox.SandboxHost"] = new[] { "Endpoint", "Region", "AccessKeyId", "Accounts", "StatePath" },
        };

        /// <summary>A .NET type name where a value should be: "System.Collections.Generic.List`1[System.String]", "FmsTools.X.Y", "System.Object[]".</summary>
        private static readonly Regex TypeName = new Regex(@"^(System|Microsoft|FmsTools|Amazon)(\.[A-Za-z_][\w+]*)+(`\d+\[.*\])?(\[\])*$|`\d\[", RegexOptions.Compiled);

        private readonly FormattingFixture _fixture;

        public FormattingTests(FormattingFixture fixture) { _fixture = fixture; }

        /// <summary>Every type a cmdlet declares in [OutputType] (bool and other system types aside), and the nested types users format.</summary>
        public static IEnumerable<object[]> OutputTypes()
            => typeof(FmsCmdlet).Assembly.GetTypes()
                .Where(t => typeof(Cmdlet).IsAssignableFrom(t) && t.GetCustomAttribute<CmdletAttribute>() != null)
                .SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>())
                .SelectMany(a => a.Type)
                .Select(t => t.Type?.FullName ?? t.Name)
                .Where(name => name.StartsWith("FmsTools.", StringComparison.Ordinal))
                .Concat(NestedTypes)
                .Distinct()
                .OrderBy(name => name, StringComparer.Ordinal)
                .Select(name => new object[] { name });

        [Fact]
        public void Every_output_type_has_its_expected_headers_declared_here()
        {
            var missing = OutputTypes().Select(row => (string)row[0]).Where(name => !ExpectedHeaders.ContainsKey(name)).ToList();
            Assert.True(missing.Count == 0, "Declare the columns a user should see for: " + string.Join(", ", missing));
        }

        [Theory]
        [MemberData(nameof(OutputTypes))]
        public void The_default_table_fits_80_and_120_columns_with_every_column_whole(string typeName)
        {
            var declared = DeclaredLabels(typeName);
            Assert.Equal(ExpectedHeaders[typeName], declared);
            foreach (var width in new[] { 80, 120 })
            {
                var text = Render(typeName, "Out-String -Width " + width);
                var table = Table.Parse(text, typeName, width);
                Assert.True(table.Labels.SequenceEqual(declared),
                    $"{typeName} at {width}: the table shows [{string.Join(", ", table.Labels)}], the view declares [{string.Join(", ", declared)}]\n{text}");
                for (var i = 0; i < table.Labels.Count; i++)
                {
                    // A column narrower than this cuts every value into a column of letters (and its header with it).
                    Assert.True(table.Widths[i] >= Math.Max(table.Labels[i].Length, 4),
                        $"{typeName} at {width}: column {table.Labels[i]} is {table.Widths[i]} wide\n{text}");
                }
                var tooLong = text.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.Length > width);
                Assert.True(tooLong == null, $"{typeName} at {width}: a line of {tooLong?.Length} characters\n{text}");
                Assert.True(table.RowLines > 0, $"{typeName} at {width}: no rows\n{text}");
            }
        }

        [Theory]
        [MemberData(nameof(OutputTypes))]
        public void The_list_view_shows_every_property_it_declares_without_type_names(string typeName)
        {
            var text = Render(typeName, "Select-Object -First 3 | Format-List | Out-String -Width 120");
            Assert.False(string.IsNullOrWhiteSpace(text), typeName + ": Format-List showed nothing");
            foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')))
            {
                var colon = line.IndexOf(" : ", StringComparison.Ordinal);
                if (colon < 0) continue;
                var value = line.Substring(colon + 3).Trim();
                Assert.False(TypeName.IsMatch(value), $"{typeName}: Format-List shows a type name: {line}\n{text}");
            }
        }

        [Theory]
        [MemberData(nameof(OutputTypes))]
        public void Csv_has_no_type_names(string typeName)
        {
            var cells = _fixture.Session.Run(
                    $"$samples['{typeName}'] | ConvertTo-Csv | ConvertFrom-Csv | ForEach-Object {{ foreach ($p in $_.PSObject.Properties) {{ '{{0}}={{1}}' -f $p.Name, $p.Value }} }}")
                .ShouldSucceed().Output.Select(o => o.BaseObject.ToString()!).ToList();
            Assert.NotEmpty(cells);
            foreach (var cell in cells)
            {
                var value = cell.Substring(cell.IndexOf('=') + 1);
                Assert.False(TypeName.IsMatch(value), $"{typeName}: ConvertTo-Csv writes a type name: {cell}");
            }
        }

        [Theory]
        [MemberData(nameof(OutputTypes))]
        public void Json_has_names_for_enum_values_and_no_type_names(string typeName)
        {
            var json = _fixture.Session.Run($"$samples['{typeName}'] | Select-Object -First 3 | ConvertTo-Json -WarningAction SilentlyContinue")
                .ShouldSucceed().Output.Single().BaseObject.ToString()!;
            using var document = JsonDocument.Parse(json);
            var type = FindType(typeName);
            var objects = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : new List<JsonElement> { document.RootElement };
            foreach (var element in objects)
            {
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (!EnumNamed.TryGetValue(type.FullName + "." + property.Name, out var enumType)) continue;
                    var value = element.GetProperty(property.Name);
                    Assert.True(value.ValueKind == JsonValueKind.String && Enum.GetNames(enumType).Contains(value.GetString()),
                        $"{typeName}.{property.Name} is {value.GetRawText()} in JSON, not a name of {enumType.Name}");
                }
            }
            foreach (var text in Strings(document.RootElement))
                Assert.False(TypeName.IsMatch(text), $"{typeName}: ConvertTo-Json writes a type name: {text}");
        }

        /// <summary>
        /// ConvertTo-Json writes every .NET enum as its number, so no output type (or object in one) has an enum-typed
        /// public property: the value is the enum's name in a string, and the typed value stays with the engine.
        /// </summary>
        [Fact]
        public void No_output_type_has_an_enum_typed_public_property()
        {
            var roots = OutputTypes().Select(row => FindType((string)row[0]));
            var seen = new HashSet<Type>();
            var queue = new Queue<Type>(roots);
            var found = new List<string>();
            while (queue.Count > 0)
            {
                var type = queue.Dequeue();
                if (!seen.Add(type)) continue;
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    foreach (var candidate in Unwrap(property.PropertyType))
                    {
                        if (candidate.IsEnum) found.Add(type.FullName + "." + property.Name + " : " + candidate.Name);
                        else if (candidate.IsClass && candidate.Namespace != null
                                 && (candidate.Namespace.StartsWith("FmsTools.Engine", StringComparison.Ordinal) || candidate.Namespace.StartsWith("FmsTools.Commands", StringComparison.Ordinal)))
                            queue.Enqueue(candidate);
                    }
                }
            }
            Assert.True(found.Count == 0, "Enum-typed public properties (ConvertTo-Json writes numbers):\n" + string.Join("\n", found));
        }

        /// <summary>The user's own case: Get-FmsComplianceStatus in an 80-column console, through the host (Out-Default).</summary>
        [Fact]
        public void Get_FmsComplianceStatus_in_an_80_column_console_shows_every_column()
        {
            var host = new TestPSHost(width: 80);
            using var session = new PowerShellSession(host);
            session.Set("source", _fixture.Session.Get("sandbox"));
            session.Run("$source | Connect-Fms | Out-Null; Get-FmsComplianceStatus -PolicyName demo-network-firewall | Out-Default").ShouldSucceed();
            // What the console shows, without the colours PowerShell adds to the header.
            var text = Regex.Replace(host.Text, "\u001b\\[[0-9;]*m", "");
            var table = Table.Parse(text, "FmsComplianceStatus", 80);
            Assert.Equal(ExpectedHeaders["FmsTools.Engine.Compliance.FmsComplianceStatus"], table.Labels);
            // prod-eu-web breaks nine route rules: the table shows the first three and says how many more.
            Assert.Contains(text.Split('\n'), line => line.Contains("prod-eu-web") && line.Contains("NonCompliant 11"));
            Assert.Contains(text.Split('\n'), line => line.Trim() == "+6 more");
            Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, line));
        }

        /// <summary>Enum-valued fields whose JSON value must be the enum's name.</summary>
        private static readonly Dictionary<string, Type> EnumNamed = new Dictionary<string, Type>
        {
            ["FmsTools.Commands.ComplianceSupport.ComplianceReportFile.Format"] = typeof(FmsTools.Engine.Reports.ComplianceReportFormat),
            ["FmsTools.Engine.Compliance.FmsComplianceStatus.Status"] = typeof(FmsTools.Engine.Compliance.FmsComplianceState),
            ["FmsTools.Engine.Cost.FmsCostEstimate.Level"] = typeof(FmsTools.Engine.Cost.CostEstimateLevel),
            ["FmsTools.Engine.History.FmsChangeEntry.TargetType"] = typeof(FmsTools.Engine.History.ChangeTargetType),
            ["FmsTools.Engine.History.FmsChangeEntry.Outcome"] = typeof(FmsTools.Engine.History.ChangeOutcome),
            ["FmsTools.Engine.History.FmsComplianceChange.Transition"] = typeof(FmsTools.Engine.History.ComplianceTransition),
            ["FmsTools.Engine.History.FmsComplianceChange.Status"] = typeof(FmsTools.Engine.Compliance.FmsComplianceState),
            ["FmsTools.Engine.History.FmsComplianceChange.PreviousStatus"] = typeof(FmsTools.Engine.Compliance.FmsComplianceState),
            ["FmsTools.Engine.Policies.FmsPolicy.Type"] = typeof(FmsTools.Engine.Policies.FmsPolicyType),
            ["FmsTools.Engine.Policies.FmsPolicy.Status"] = typeof(FmsTools.Engine.Policies.FmsPolicyStatus),
            ["FmsTools.Engine.Policies.PolicyFinding.Severity"] = typeof(FmsTools.Engine.Policies.PolicyFindingSeverity),
            ["FmsTools.Engine.PolicyOperations.FmsPolicyComparison.Status"] = typeof(FmsTools.Engine.PolicyOperations.PolicyComparisonStatus),
            ["FmsTools.Engine.PolicyOperations.FmsPolicyDifference.Kind"] = typeof(FmsTools.Engine.Policies.PolicyDifferenceKind),
            ["FmsTools.Engine.PolicyOperations.PolicySyncResult.Action"] = typeof(FmsTools.Engine.Policies.SyncActionKind),
            ["FmsTools.Engine.PolicyOperations.PolicySyncResult.Status"] = typeof(FmsTools.Engine.PolicyOperations.PolicySyncStatus),
            ["FmsTools.Engine.Remediation.RemediationResult.Outcome"] = typeof(FmsTools.Engine.Remediation.RemediationOutcome),
        };

        private string Render(string typeName, string pipeline)
        {
            var result = _fixture.Session.Run($"$samples['{typeName}'] | {pipeline}").ShouldSucceed();
            Assert.True(result.Output.Count > 0, typeName + ": no sample; the fixture's script makes one of every output type");
            return string.Concat(result.Output.Select(o => o.BaseObject.ToString()));
        }

        private List<string> DeclaredLabels(string typeName)
        {
            var result = _fixture.Session.Run(
                $"(Get-FormatData -TypeName '{typeName}').FormatViewDefinition | Select-Object -First 1 | ForEach-Object {{ if ($_.Control -is [System.Management.Automation.TableControl]) {{ $_.Control.Headers.Label }} else {{ throw \"the default view of {typeName} is a $($_.Control.GetType().Name)\" }} }}")
                .ShouldSucceed();
            return result.Output.Select(o => o.BaseObject.ToString()!).ToList();
        }

        private static Type FindType(string name)
            => new[] { typeof(FmsCmdlet).Assembly, typeof(FmsTools.Engine.Policies.FmsPolicy).Assembly, typeof(FmsTools.Sandbox.SandboxHost).Assembly }
                .Select(a => a.GetType(name)).FirstOrDefault(t => t != null) ?? throw new InvalidOperationException("No type " + name);

        /// <summary>The type itself, or the element types of a collection, or the underlying type of a nullable.</summary>
        private static IEnumerable<Type> Unwrap(Type type)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying != null) return new[] { underlying };
            if (type.IsArray) return Unwrap(type.GetElementType()!);
            if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
            {
                var arguments = type.IsGenericType ? type.GetGenericArguments()
                    : type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)).SelectMany(i => i.GetGenericArguments()).ToArray();
                return arguments.SelectMany(Unwrap);
            }
            return new[] { type };
        }

        private static IEnumerable<string> Strings(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    yield return element.GetString()!;
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                        foreach (var text in Strings(item)) yield return text;
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                        foreach (var text in Strings(property.Value)) yield return text;
                    break;
            }
        }

        /// <summary>
        /// The first table in PowerShell's rendering: the header line (one line, after a blank one), the dashes under each
        /// label (where each column starts) and the lines of rows after them.
        /// </summary>
        private sealed class Table
        {
            public List<string> Labels { get; } = new List<string>();
            public List<int> Widths { get; } = new List<int>();
            public int RowLines { get; private set; }

            public static Table Parse(string text, string what, int width)
            {
                var lines = text.Replace("\r", "").Split('\n');
                var dashes = Array.FindIndex(lines, l => l.Contains('-') && l.Trim().All(c => c == '-' || c == ' '));
                Assert.True(dashes >= 2, $"{what} at {width}: no table header\n{text}");
                Assert.True(lines[dashes - 2].Trim().Length == 0, $"{what} at {width}: the header is broken across lines\n{text}");
                var header = lines[dashes - 1];
                var table = new Table();
                var groups = Regex.Matches(lines[dashes], "-+").Cast<Match>().ToList();
                for (var i = 0; i < groups.Count; i++)
                {
                    var start = groups[i].Index;
                    Assert.True(header.Length >= start + groups[i].Length, $"{what} at {width}: the header is shorter than its dashes\n{text}");
                    table.Labels.Add(header.Substring(start, groups[i].Length));
                    table.Widths.Add(i + 1 < groups.Count ? groups[i + 1].Index - start - 1 : width - start);
                }
                table.RowLines = lines.Skip(dashes + 1).TakeWhile(l => l.Trim().Length > 0).Count();
                return table;
            }
        }
    }
}
