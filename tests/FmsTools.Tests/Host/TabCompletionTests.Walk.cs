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
    /// <summary>Every parameter of every exported cmdlet, classified by what Tab must do for it.</summary>
    public sealed partial class TabCompletionTests
    {
        // ---- every parameter of every exported cmdlet ---------------------------------------------------------------

        /// <summary>What a string-like parameter takes, and so how Tab must behave for it.</summary>
        public enum ValueClass
        {
            /// <summary>Names a live object or a known value: an FmsTools completer, never file names.</summary>
            Completed,

            /// <summary>A file or folder: PowerShell's file-name completion.</summary>
            Path,

            /// <summary>Free text (a new name, a description, a secret, a document) or an object no FmsTools client can list.</summary>
            FreeText,
        }

        /// <summary>
        /// Every string, string[], object and object[] parameter of the exported cmdlets, by parameter name, with
        /// per-cmdlet entries where one name means different things. Enum and ValidateSet parameters need no entry
        /// (they complete their values); parameters of other types (numbers, dates, switches, hashtables, FmsTools
        /// objects) take no names. A new string-like parameter fails the walk until it is classified here.
        /// </summary>
        private static readonly Dictionary<string, ValueClass> Classes = new Dictionary<string, ValueClass>(StringComparer.OrdinalIgnoreCase)
        {
            // Connection parameters of every connected cmdlet.
            ["ProfileName"] = ValueClass.Completed,
            ["ProfileLocation"] = ValueClass.Path,
            ["ExceptionPath"] = ValueClass.Path,
            ["Region"] = ValueClass.Completed,
            ["EndpointUrl"] = ValueClass.Completed, // the sandboxes running in the process
            ["Credential"] = ValueClass.FreeText, // an AWSCredentials object
            ["AccessKey"] = ValueClass.FreeText,

            // Policies, accounts, OUs.
            ["PolicyName"] = ValueClass.Completed,
            ["PolicyId"] = ValueClass.Completed,
            ["AccountId"] = ValueClass.Completed,
            ["AdminAccount"] = ValueClass.Completed,
            ["IncludeAccount"] = ValueClass.Completed,
            ["ExcludeAccount"] = ValueClass.Completed,
            ["IncludeOrganizationalUnit"] = ValueClass.Completed,
            ["ExcludeOrganizationalUnit"] = ValueClass.Completed,
            ["ScopeAccount"] = ValueClass.Completed,
            ["ScopeOrganizationalUnit"] = ValueClass.Completed,
            ["ScopeRegion"] = ValueClass.Completed,
            ["ScopePolicyType"] = ValueClass.Completed,
            ["InspectionAccountId"] = ValueClass.Completed,
            ["Reason"] = ValueClass.Completed,
            ["MemberAccountRoleName"] = ValueClass.Completed,
            ["MemberRoleName"] = ValueClass.Completed, // Invoke-FmsRemediation: the role to assume in member accounts
            ["MemberRoleExternalId"] = ValueClass.FreeText, // the trust policy's external id

            // Lists, resource sets, tags.
            ["ListId"] = ValueClass.Completed,
            ["ResourceSetId"] = ValueClass.Completed,
            ["Uri"] = ValueClass.Completed,
            ["ResourceArn"] = ValueClass.Completed,
            ["Key"] = ValueClass.Completed,
            ["Protocol"] = ValueClass.Completed,
            ["Get-FmsAppsList:Name"] = ValueClass.Completed,
            ["Set-FmsAppsList:Name"] = ValueClass.Completed,
            ["Get-FmsProtocolsList:Name"] = ValueClass.Completed,
            ["Set-FmsProtocolsList:Name"] = ValueClass.Completed,
            ["Get-FmsResourceSet:Name"] = ValueClass.Completed,
            ["Get-FmsResourceSet:Id"] = ValueClass.Completed,
            ["Remove-FmsResourceSet:Id"] = ValueClass.Completed,
            ["Set-FmsResourceSet:Id"] = ValueClass.Completed,
            ["Set-FmsResourceSet:Name"] = ValueClass.FreeText, // without -Id a new set is created
            ["Get-FmsPolicy:Name"] = ValueClass.Completed,

            // Policy settings.
            ["ResourceType"] = ValueClass.Completed,
            ["ManagedRuleGroup"] = ValueClass.Completed,
            ["RuleGroupArn"] = ValueClass.Completed,
            ["PostProcessRuleGroupArn"] = ValueClass.Completed,
            ["FirewallPolicy"] = ValueClass.Completed,
            ["StatelessDefaultAction"] = ValueClass.Completed,
            ["StatelessFragmentDefaultAction"] = ValueClass.Completed,
            ["StatefulDefaultAction"] = ValueClass.Completed,
            ["Name"] = ValueClass.FreeText, // the New-Fms*Policy builders: a new policy's name
            ["NewName"] = ValueClass.FreeText,
            ["Description"] = ValueClass.FreeText,
            ["Title"] = ValueClass.FreeText,
            ["TokenDomain"] = ValueClass.FreeText,
            ["AllowedIpv4Cidr"] = ValueClass.FreeText,
            // Objects of services FmsTools has no client for (EC2, Route 53 Resolver, Network Firewall, WAF Classic,
            // Firehose/S3/CloudWatch Logs, SNS, IAM): typed, never listed.
            ["AvailabilityZone"] = ValueClass.FreeText,
            ["InspectionVpcId"] = ValueClass.FreeText,
            ["SecurityGroupId"] = ValueClass.FreeText,
            ["AuditSecurityGroupId"] = ValueClass.FreeText,
            ["PreProcessRuleGroup"] = ValueClass.FreeText,
            ["PostProcessRuleGroup"] = ValueClass.FreeText,
            ["StatelessRuleGroup"] = ValueClass.FreeText,
            ["StatefulRuleGroup"] = ValueClass.FreeText,
            ["RuleGroupId"] = ValueClass.FreeText,
            ["LogDestination"] = ValueClass.FreeText,
            ["SnsTopicArn"] = ValueClass.FreeText,
            ["SnsRoleArn"] = ValueClass.FreeText,
            // Documents (hashtables or JSON).
            ["LoggingConfiguration"] = ValueClass.FreeText,
            ["CustomResponse"] = ValueClass.FreeText,
            ["CustomResponseBodies"] = ValueClass.FreeText,
            ["CustomRequestHandling"] = ValueClass.FreeText,
            ["ManagedAuditOption"] = ValueClass.FreeText,
            ["FirstEntry"] = ValueClass.FreeText,
            ["LastEntry"] = ValueClass.FreeText,

            // The change journal and the sandbox.
            ["Caller"] = ValueClass.Completed,
            ["Target"] = ValueClass.Completed,
            ["Get-FmsSandboxRequest:Operation"] = ValueClass.Completed,

            // Files and folders.
            ["Path"] = ValueClass.Path,
            ["JournalPath"] = ValueClass.Path,
            ["PriceTablePath"] = ValueClass.Path,
            ["SnapshotPath"] = ValueClass.Path,
            ["History"] = ValueClass.Path, // saved reports and Watch-FmsCompliance snapshots (or report objects)

            // Merged reports: an organization id or friendly name the user chooses.
            ["OrganizationId"] = ValueClass.FreeText,
            ["OrganizationName"] = ValueClass.FreeText,
        };

        /// <summary>Takes text: a string or object parameter, or one whose transformation attribute reads text into its type.</summary>
        private static bool IsStringLike(ParameterMetadata parameter)
        {
            var type = parameter.ParameterType;
            var element = type.IsArray ? type.GetElementType()! : type;
            return element == typeof(string) || element == typeof(object) || parameter.Attributes.OfType<FmsTools.Infrastructure.PolicyInputTransformationAttribute>().Any();
        }

        private static bool IsChoice(ParameterMetadata parameter)
        {
            var type = parameter.ParameterType.IsArray ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type.IsEnum || parameter.Attributes.OfType<ValidateSetAttribute>().Any();
        }

        private static bool OffersFiles(IEnumerable<CompletionResult> results)
            => results.Any(r => r.ResultType == CompletionResultType.ProviderItem || r.ResultType == CompletionResultType.ProviderContainer);

        [Fact]
        public void Every_parameter_that_names_something_completes_it_and_none_falls_back_to_file_names_unless_it_is_a_path()
        {
            var commands = _fixture.Session.Run("Get-Command -Module FmsTools -CommandType Cmdlet").ShouldSucceed().OutputOf<CmdletInfo>().ToList();
            Assert.True(commands.Count >= 50, "the module exports its cmdlets");
            var common = new HashSet<string>(Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var problems = new List<string>();
            var checkedCount = 0;
            foreach (var command in commands.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                foreach (var parameter in command.Parameters.Values.Where(p => !common.Contains(p.Name)))
                {
                    var where = command.Name + " -" + parameter.Name;
                    var completer = parameter.Attributes.OfType<ArgumentCompleterAttribute>().FirstOrDefault()?.Type;
                    if (IsChoice(parameter))
                    {
                        var values = Tab(where + " ");
                        if (values.Count == 0 || values.Any(r => r.ResultType != CompletionResultType.ParameterValue)) problems.Add(where + ": its enum/ValidateSet values do not complete");
                        if (OffersFiles(Tab(where + " zz"))) problems.Add(where + ": falls back to file names");
                        checkedCount++;
                        continue;
                    }
                    if (!IsStringLike(parameter))
                    {
                        if (completer != null && completer.Namespace != "FmsTools.Completers") problems.Add(where + ": a completer from outside FmsTools.Completers");
                        continue;
                    }
                    ValueClass valueClass;
                    if (Classes.TryGetValue(command.Name + ":" + parameter.Name, out valueClass)) used.Add(command.Name + ":" + parameter.Name);
                    else if (Classes.TryGetValue(parameter.Name, out valueClass)) used.Add(parameter.Name);
                    else
                    {
                        problems.Add(where + ": not classified (add it to TabCompletionTests.Classes: Completed, Path or FreeText)");
                        continue;
                    }
                    checkedCount++;
                    var answer = Tab(where + " zz");
                    switch (valueClass)
                    {
                        case ValueClass.Completed:
                            if (completer == null || completer.Namespace != "FmsTools.Completers") problems.Add(where + ": names something but has no FmsTools completer");
                            if (OffersFiles(answer)) problems.Add(where + ": falls back to file names");
                            break;
                        case ValueClass.Path:
                            if (!answer.Any(r => r.ResultType == CompletionResultType.ProviderItem && r.CompletionText.Contains(TabCompletionSandbox.DecoyFile)))
                                problems.Add(where + ": a path that does not complete file names");
                            break;
                        case ValueClass.FreeText:
                            if (completer != null) problems.Add(where + ": classified as free text but has a completer (classify it Completed)");
                            break;
                    }
                }
            }
            foreach (var stale in Classes.Keys.Where(k => !used.Contains(k))) problems.Add("TabCompletionTests.Classes names " + stale + ", which no exported cmdlet has as a string-like parameter");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            Assert.True(checkedCount > 150, $"checked {checkedCount} parameters");
        }
    }
}
