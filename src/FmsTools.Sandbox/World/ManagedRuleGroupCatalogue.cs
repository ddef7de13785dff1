using System.Collections.Generic;

namespace FmsTools.Sandbox.World
{
    /// <summary>The AWS managed rule groups the sandbox offers, with capacities (WCUs) as AWS publishes them.</summary>
    public static class ManagedRuleGroupCatalogue
    {
        public static List<ManagedRuleGroupDescriptor> Create()
        {
            ManagedRuleGroupDescriptor Aws(string name, long capacity, string description, params string[] versions) => new ManagedRuleGroupDescriptor
            {
                VendorName = "AWS", Name = name, Capacity = capacity, Description = description, Versions = versions,
                DefaultVersion = versions.Length == 0 ? null : versions[versions.Length - 1],
                LabelNamespace = "awswaf:managed:aws:" + name.Replace("AWSManagedRules", "").ToLowerInvariant() + ":",
            };
            return new List<ManagedRuleGroupDescriptor>
            {
                Aws("AWSManagedRulesCommonRuleSet", 700, "Core rule set: protection against a wide range of exploits (OWASP).", "Version_1.10", "Version_1.11", "Version_1.12"),
                Aws("AWSManagedRulesKnownBadInputsRuleSet", 200, "Blocks request patterns known to be invalid or associated with exploitation.", "Version_1.19", "Version_1.20"),
                Aws("AWSManagedRulesAdminProtectionRuleSet", 100, "Blocks external access to exposed administrative pages.", "Version_1.0"),
                Aws("AWSManagedRulesSQLiRuleSet", 200, "Blocks request patterns associated with SQL injection.", "Version_1.1", "Version_2.0"),
                Aws("AWSManagedRulesLinuxRuleSet", 200, "Blocks request patterns associated with Linux-specific vulnerabilities.", "Version_2.1", "Version_2.2"),
                Aws("AWSManagedRulesUnixRuleSet", 100, "Blocks request patterns associated with POSIX vulnerabilities.", "Version_1.0"),
                Aws("AWSManagedRulesWindowsRuleSet", 200, "Blocks request patterns associated with Windows-specific vulnerabilities.", "Version_2.1"),
                Aws("AWSManagedRulesPHPRuleSet", 100, "Blocks request patterns associated with PHP vulnerabilities.", "Version_1.0"),
                Aws("AWSManagedRulesWordPressRuleSet", 100, "Blocks request patterns associated with WordPress vulnerabilities.", "Version_1.2"),
                Aws("AWSManagedRulesAmazonIpReputationList", 25, "Blocks IP addresses associated with bots and threats (Amazon threat intelligence).", "Version_1.0"),
                Aws("AWSManagedRulesAnonymousIpList", 50, "Blocks requests from services that hide viewer identity (VPNs, proxies, Tor).", "Version_1.0"),
                Aws("AWSManagedRulesBotControlRuleSet", 50, "Bot Control: manages requests from bots.", "Version_2.0", "Version_3.0"),
                Aws("AWSManagedRulesATPRuleSet", 50, "Account takeover prevention for login pages.", "Version_1.0"),
            };
        }
    }
}
