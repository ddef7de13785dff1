using System.Collections.Generic;
using System.Linq;

namespace FmsTools.Sandbox.World
{
    /// <summary>
    /// The AWS managed rule groups the sandbox offers, with capacities (WCUs) as AWS publishes them and their rules.
    /// <para>
    /// Rule names are AWS's own for the Core rule set, Known bad inputs, SQL database and Amazon IP reputation list groups
    /// (checked against the AWS WAF Developer Guide, "AWS Managed Rules rule groups list", and public configurations
    /// that exclude or override them); those groups also carry AWS's label namespaces. The other groups' rule names are
    /// synthetic (<c>Sandbox_&lt;group&gt;_&lt;component&gt;</c>, <see cref="ManagedRuleGroupDescriptor.SyntheticRuleNames"/>):
    /// well formed, but not AWS's. Every rule's action is Block, every version has the same rules, and the available
    /// labels are the namespace plus the rule name (AWS's labels differ in letter case, e.g. NoUserAgent_Header).
    /// </para>
    /// </summary>
    public static class ManagedRuleGroupCatalogue
    {
        private static readonly string[] CoreRuleSet =
        {
            "NoUserAgent_HEADER", "UserAgent_BadBots_HEADER", "SizeRestrictions_QUERYSTRING", "SizeRestrictions_Cookie_HEADER",
            "SizeRestrictions_BODY", "SizeRestrictions_URIPATH", "EC2MetaDataSSRF_BODY", "EC2MetaDataSSRF_COOKIE", "EC2MetaDataSSRF_URIPATH",
            "EC2MetaDataSSRF_QUERYARGUMENTS", "GenericLFI_QUERYARGUMENTS", "GenericLFI_URIPATH", "GenericLFI_BODY",
            "RestrictedExtensions_URIPATH", "RestrictedExtensions_QUERYARGUMENTS", "GenericRFI_QUERYARGUMENTS", "GenericRFI_BODY",
            "GenericRFI_URIPATH", "CrossSiteScripting_COOKIE", "CrossSiteScripting_QUERYARGUMENTS", "CrossSiteScripting_BODY",
            "CrossSiteScripting_URIPATH",
        };

        private static readonly string[] KnownBadInputs =
        {
            "JavaDeserializationRCE_HEADER", "JavaDeserializationRCE_BODY", "JavaDeserializationRCE_URIPATH", "JavaDeserializationRCE_QUERYSTRING",
            "Host_localhost_HEADER", "PROPFIND_METHOD", "ExploitablePaths_URIPATH", "Log4JRCE_HEADER", "Log4JRCE_QUERYSTRING", "Log4JRCE_BODY",
            "Log4JRCE_URIPATH",
        };

        private static readonly string[] SqlDatabase =
        {
            "SQLi_QUERYARGUMENTS", "SQLiExtendedPatterns_QUERYARGUMENTS", "SQLi_BODY", "SQLiExtendedPatterns_BODY", "SQLi_COOKIE", "SQLi_URIPATH",
        };

        private static readonly string[] AmazonIpReputationList = { "AWSManagedIPReputationList", "AWSManagedReconnaissanceList", "AWSManagedIPDDoSList" };

        public static List<ManagedRuleGroupDescriptor> Create()
        {
            ManagedRuleGroupDescriptor Aws(string name, long capacity, string description, params string[] versions) => new ManagedRuleGroupDescriptor
            {
                VendorName = "AWS", Name = name, Capacity = capacity, Description = description, Versions = versions,
                DefaultVersion = versions.Length == 0 ? null : versions[versions.Length - 1],
                LabelNamespace = "awswaf:managed:aws:" + name.Replace("AWSManagedRules", "").ToLowerInvariant() + ":",
                RuleNames = Synthetic(name), SyntheticRuleNames = true,
            };
            ManagedRuleGroupDescriptor Real(ManagedRuleGroupDescriptor group, string labelNamespace, string[] rules)
            {
                group.LabelNamespace = labelNamespace;
                group.RuleNames = rules;
                group.SyntheticRuleNames = false;
                return group;
            }
            return new List<ManagedRuleGroupDescriptor>
            {
                Real(Aws("AWSManagedRulesCommonRuleSet", 700, "Core rule set: protection against a wide range of exploits, including those OWASP describes.", "Version_1.10", "Version_1.11", "Version_1.12"),
                    "awswaf:managed:aws:core-rule-set:", CoreRuleSet),
                Real(Aws("AWSManagedRulesKnownBadInputsRuleSet", 200, "Blocks request patterns known to be invalid or associated with exploitation.", "Version_1.19", "Version_1.20"),
                    "awswaf:managed:aws:known-bad-inputs:", KnownBadInputs),
                Aws("AWSManagedRulesAdminProtectionRuleSet", 100, "Blocks external access to exposed administrative pages.", "Version_1.0"),
                Real(Aws("AWSManagedRulesSQLiRuleSet", 200, "Blocks request patterns associated with SQL injection.", "Version_1.1", "Version_2.0"),
                    "awswaf:managed:aws:sql-database:", SqlDatabase),
                Aws("AWSManagedRulesLinuxRuleSet", 200, "Blocks request patterns associated with Linux-specific vulnerabilities.", "Version_2.1", "Version_2.2"),
                Aws("AWSManagedRulesUnixRuleSet", 100, "Blocks request patterns associated with POSIX vulnerabilities.", "Version_1.0"),
                Aws("AWSManagedRulesWindowsRuleSet", 200, "Blocks request patterns associated with Windows-specific vulnerabilities.", "Version_2.1"),
                Aws("AWSManagedRulesPHPRuleSet", 100, "Blocks request patterns associated with PHP vulnerabilities.", "Version_1.0"),
                Aws("AWSManagedRulesWordPressRuleSet", 100, "Blocks request patterns associated with WordPress vulnerabilities.", "Version_1.2"),
                Real(Aws("AWSManagedRulesAmazonIpReputationList", 25, "Blocks IP addresses that Amazon threat intelligence associates with bots and threats.", "Version_1.0"),
                    "awswaf:managed:aws:amazon-ip-list:", AmazonIpReputationList),
                Aws("AWSManagedRulesAnonymousIpList", 50, "Blocks requests from services that hide viewer identity, such as VPNs, proxies and Tor.", "Version_1.0"),
                Aws("AWSManagedRulesBotControlRuleSet", 50, "Bot Control: manages requests from bots.", "Version_2.0", "Version_3.0"),
                Aws("AWSManagedRulesATPRuleSet", 50, "Account takeover prevention for login pages.", "Version_1.0"),
            };
        }

        /// <summary>Clearly made-up rule names for a group whose real rule names the sandbox does not claim to know.</summary>
        private static string[] Synthetic(string groupName)
        {
            var stem = "Sandbox_" + groupName.Replace("AWSManagedRules", "");
            return new[] { "URIPATH", "QUERYARGUMENTS", "BODY", "HEADER" }.Select(component => stem + "_" + component).ToArray();
        }
    }
}
