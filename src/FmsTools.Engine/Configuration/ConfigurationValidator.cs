using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.Configuration
{
    /// <summary>
    /// Offline checks of a configuration read from a folder: each object against the rules its Set-/New- cmdlet
    /// applies before a call, names unique per kind and Region, and every reference by name resolved (a policy's
    /// resource sets must be resource sets of the same Region in the folder). Each finding names the file, the
    /// object and the field.
    /// </summary>
    public static class ConfigurationValidator
    {
        // A well-formed resource set id for the policy validator's count and format checks while the real ids are
        // still names (they are resolved at apply time).
        private const string PlaceholderResourceSetId = "configurationPlaceholder";

        public static List<FmsConfigurationFinding> Validate(IReadOnlyList<FmsConfigurationItem> items)
        {
            var findings = new List<FmsConfigurationFinding>();
            Duplicates(items, findings);
            foreach (var item in items)
            {
                switch (item.KindValue)
                {
                    case ConfigurationKind.Policy: Policy(item, items, findings); break;
                    case ConfigurationKind.AppsList: Input(item, findings, "AppsList.", () => FmsListKinds.Apps.Validate(item.AppsList!)); break;
                    case ConfigurationKind.ProtocolsList: Input(item, findings, "ProtocolsList.", () => FmsListKinds.Protocols.Validate(item.ProtocolsList!)); break;
                    case ConfigurationKind.ResourceSet:
                        Input(item, findings, "ResourceSet.", () => ResourceSetService.Validate(item.ResourceSet!));
                        Resources(item, findings);
                        break;
                    case ConfigurationKind.NotificationChannel:
                        Input(item, findings, "", () =>
                        {
                            var list = new List<InputFinding>();
                            InputRules.NotificationChannel(list, item.NotificationChannel!.SnsTopicArn ?? "", item.NotificationChannel.SnsRoleName ?? "");
                            InputRules.ThrowIfAny(list);
                        });
                        break;
                    case ConfigurationKind.AdminAccount: Admin(item, findings); break;
                }
            }
            return findings;
        }

        private static void Duplicates(IReadOnlyList<FmsConfigurationItem> items, List<FmsConfigurationFinding> findings)
        {
            foreach (var group in items.GroupBy(i => (i.KindValue, i.Region, i.Name)).Where(g => g.Count() > 1))
            {
                var first = group.First();
                foreach (var other in group.Skip(1))
                    findings.Add(Error(other, other.KindValue == ConfigurationKind.AdminAccount ? "accountId" : "name", "Configuration.Name.Duplicate",
                        $"names {Noun(other.KindValue)} '{other.Name}'{(other.Region == null ? "" : " in " + other.Region)} that {first.File} already names; names identify objects in a configuration, so each must be unique."));
            }
            var defaults = items.Where(i => i.AdminAccount?.IsDefaultAdmin == true).ToList();
            foreach (var extra in defaults.Skip(1))
                findings.Add(Error(extra, "defaultAdmin", "Configuration.AdminAccount.DefaultAdmin",
                    $"is true, but {defaults[0].File} is already the default administrator; an organization has one."));
        }

        private static void Policy(FmsConfigurationItem item, IReadOnlyList<FmsConfigurationItem> items, List<FmsConfigurationFinding> findings)
        {
            var policy = item.Policy!.Clone();
            policy.Scope ??= new PolicyScope();
            policy.Scope.ResourceSetIds = item.ResourceSetNames.Select(_ => PlaceholderResourceSetId.PadRight(22, 'x').Substring(0, 22)).ToList();
            foreach (var error in PolicyDocumentSerializer.ValidationErrors(item.File, policy))
                findings.Add(Error(item, error.Field, "Configuration.Policy.Invalid", error.Message));
            for (var i = 0; i < item.ResourceSetNames.Count; i++)
            {
                var name = item.ResourceSetNames[i];
                if (items.Any(o => o.KindValue == ConfigurationKind.ResourceSet && o.Region == item.Region && o.Name == name)) continue;
                var id = ModelPatterns.ResourceSetId.IsMatch(name ?? "") && !items.Any(o => o.KindValue == ConfigurationKind.ResourceSet && o.Region == item.Region)
                    ? " It looks like a resource set id; a configuration names resource sets by name." : "";
                findings.Add(Error(item, $"scope.resourceSetIds[{i}]", "Configuration.Reference.ResourceSet",
                    $"names resource set '{name}', which is not in {item.Region}/{ConfigurationLayout.FolderOf(ConfigurationKind.ResourceSet).Folder}/ of this configuration.{id}"));
            }
        }

        private static void Resources(FmsConfigurationItem item, List<FmsConfigurationFinding> findings)
        {
            for (var i = 0; i < item.Resources.Count; i++)
                if (string.IsNullOrWhiteSpace(item.Resources[i]))
                    findings.Add(Error(item, $"resources[{i}]", "Configuration.ResourceSet.Resource", "is empty; each resource is a resource URI (an ARN)."));
            foreach (var dup in item.Resources.GroupBy(r => r, StringComparer.Ordinal).Where(g => g.Count() > 1))
                findings.Add(Error(item, "resources", "Configuration.ResourceSet.DuplicateResource", $"lists '{dup.Key}' {dup.Count()} times."));
        }

        private static void Admin(FmsConfigurationItem item, List<FmsConfigurationFinding> findings)
        {
            var list = new List<InputFinding>();
            InputRules.AccountId(list, "AccountId", item.AdminAccount!.AccountId);
            var scope = item.AdminAccount.Scope;
            if (scope != null)
            {
                for (var i = 0; i < scope.Accounts.Count; i++) InputRules.AccountId(list, $"Scope.Accounts[{i}]", scope.Accounts[i]);
                for (var i = 0; i < scope.OrganizationalUnits.Count; i++) InputRules.OrganizationalUnitId(list, $"Scope.OrganizationalUnits[{i}]", scope.OrganizationalUnits[i]);
                for (var i = 0; i < scope.Regions.Count; i++)
                    if (!ModelPatterns.AwsRegion.IsMatch(scope.Regions[i] ?? ""))
                        list.Add(new InputFinding($"Scope.Regions[{i}]", "AdminScope.Region", $"Scope.Regions[{i}] '{scope.Regions[i]}' is not a Region (e.g. us-east-1)."));
                for (var i = 0; i < scope.PolicyTypes.Count; i++)
                    if (!FmsPolicyTypes.TryParse(scope.PolicyTypes[i], out _))
                        list.Add(new InputFinding($"Scope.PolicyTypes[{i}]", "AdminScope.PolicyType", $"Scope.PolicyTypes[{i}] '{scope.PolicyTypes[i]}' is not a Firewall Manager policy type."));
            }
            foreach (var f in list) findings.Add(Error(item, FilePath(f.Field, ""), f.Rule, Strip(f.Message, f.Field)));
        }

        private static void Input(FmsConfigurationItem item, List<FmsConfigurationFinding> findings, string prefix, Action validate)
        {
            try
            {
                validate();
            }
            catch (FmsInputException e)
            {
                foreach (var f in e.Findings)
                {
                    // The channel's role is SnsRoleName in the file (as in PutNotificationChannel) though it holds an ARN.
                    var field = FilePath(f.Field, prefix) == "snsRoleArn" ? "snsRoleName" : FilePath(f.Field, prefix);
                    findings.Add(Error(item, field, f.Rule, Strip(f.Message, f.Field)));
                }
            }
        }

        /// <summary>"AppsList.Apps[0].Port" as the file spells it: "apps[0].port".</summary>
        private static string FilePath(string field, string prefix)
        {
            if (prefix.Length > 0 && field.StartsWith(prefix, StringComparison.Ordinal)) field = field.Substring(prefix.Length);
            return string.Join(".", field.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s.Substring(1)));
        }

        private static string Strip(string message, string field)
        {
            var trimmed = message.StartsWith(field, StringComparison.Ordinal) ? message.Substring(field.Length).TrimStart(':', ' ') : message;
            return trimmed;
        }

        private static string Noun(ConfigurationKind kind) => kind switch
        {
            ConfigurationKind.AppsList => "apps list",
            ConfigurationKind.ProtocolsList => "protocols list",
            ConfigurationKind.ResourceSet => "resource set",
            ConfigurationKind.NotificationChannel => "notification channel",
            ConfigurationKind.AdminAccount => "administrator account",
            _ => "policy",
        };

        private static FmsConfigurationFinding Error(FmsConfigurationItem item, string field, string rule, string message)
            => new FmsConfigurationFinding
            {
                SeverityValue = ConfigurationFindingSeverity.Error, File = item.File, Kind = item.Kind, Object = item.Name, Field = field, Rule = rule,
                Message = (field.Length > 0 ? field + " " : "") + message,
            };
    }
}
