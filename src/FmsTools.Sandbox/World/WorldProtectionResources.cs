using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace FmsTools.Sandbox.World
{
    /// <summary>
    /// A rule inside a web ACL, or a Firewall Manager rule group in its pre/post-process sections. Exactly one statement
    /// kind is set: a customer rule group reference, a managed rule group, an IP set reference or a rate-based rule.
    /// </summary>
    public sealed class WebAclRule
    {
        public string Name { get; set; } = "";
        public int Priority { get; set; }

        /// <summary>"RuleGroupReference", "ManagedRuleGroup", "IPSetReference" or "RateBased".</summary>
        public string StatementType { get; set; } = "";

        /// <summary>ARN of the referenced rule group or IP set.</summary>
        public string? ReferenceArn { get; set; }
        public string? VendorName { get; set; }
        public string? ManagedRuleGroupName { get; set; }
        public string? Version { get; set; }
        public long? RateLimit { get; set; }

        /// <summary>For rules: "ALLOW"/"BLOCK"/"COUNT"; for rule group statements the override action "NONE"/"COUNT".</summary>
        public string Action { get; set; } = "NONE";

        public string[]? ExcludedRules { get; set; }

        /// <summary>True when this rule references the same rule group (by ARN, or by vendor/name/version) as <paramref name="other"/>.</summary>
        public bool ReferencesSameRuleGroupAs(WebAclRule other)
        {
            if (!string.Equals(StatementType, other.StatementType, StringComparison.Ordinal)) return false;
            if (StatementType == WebAclStatementTypes.ManagedRuleGroup)
                return string.Equals(VendorName, other.VendorName, StringComparison.Ordinal)
                    && string.Equals(ManagedRuleGroupName, other.ManagedRuleGroupName, StringComparison.Ordinal)
                    && (other.Version == null || string.Equals(Version, other.Version, StringComparison.Ordinal));
            return string.Equals(ReferenceArn, other.ReferenceArn, StringComparison.Ordinal);
        }
    }

    public static class WebAclStatementTypes
    {
        public const string RuleGroupReference = "RuleGroupReference";
        public const string ManagedRuleGroup = "ManagedRuleGroup";
        public const string IpSetReference = "IPSetReference";
        public const string RateBased = "RateBased";
    }

    public static class WafScopes
    {
        public const string Regional = "REGIONAL";
        public const string CloudFront = "CLOUDFRONT";
    }

    public sealed class WebAcl : WorldResource
    {
        /// <summary>REGIONAL or CLOUDFRONT (stored in us-east-1).</summary>
        public string Scope { get; set; } = WafScopes.Regional;
        public string? Description { get; set; }

        /// <summary>"ALLOW" or "BLOCK".</summary>
        public string DefaultAction { get; set; } = "ALLOW";
        public WebAclRule[] Rules { get; set; } = new WebAclRule[0];
        public WebAclRule[] PreProcessFirewallManagerRuleGroups { get; set; } = new WebAclRule[0];
        public WebAclRule[] PostProcessFirewallManagerRuleGroups { get; set; } = new WebAclRule[0];
        public bool ManagedByFirewallManager { get; set; }
        public bool RetrofittedByFirewallManager { get; set; }
        public string LockToken { get; set; } = "";
        public long Capacity { get; set; }

        /// <summary>For an FMS web ACL: the type of the policy that owns it (WAFV2 or SHIELD_ADVANCED).</summary>
        public string? FmsPolicyType { get; set; }

        /// <summary>For a retrofitted customer web ACL: the policy that added its first/last rule sections.</summary>
        public string? RetrofitPolicyId { get; set; }

        public override string ResourceType => ResourceTypes.WebAcl;
        public override string Arn => WafArn(Region, AccountId, Scope, "webacl", Name ?? "", Id);

        internal static string WafArn(string region, string account, string scope, string kind, string name, string id) =>
            "arn:aws:wafv2:" + region + ":" + account + ":" + (scope == WafScopes.CloudFront ? "global" : "regional") + "/" + kind + "/" + name + "/" + id;
    }

    public sealed class WafRuleGroup : WorldResource
    {
        public string Scope { get; set; } = WafScopes.Regional;
        public long Capacity { get; set; }
        public string? Description { get; set; }
        public string LockToken { get; set; } = "";

        /// <summary>The group's rules (GetRuleGroup's RuleGroup.Rules), in priority order.</summary>
        public List<WafRuleGroupRule> Rules { get; set; } = new List<WafRuleGroupRule>();

        public override string ResourceType => ResourceTypes.WafRuleGroup;
        public override string Arn => WebAcl.WafArn(Region, AccountId, Scope, "rulegroup", Name ?? "", Id);
    }

    /// <summary>The statement kinds a sandbox rule group's rules use.</summary>
    public static class WafRuleStatementTypes
    {
        public const string RateBased = "RateBased";
        public const string GeoMatch = "GeoMatch";
        public const string UriPathStartsWith = "UriPathStartsWith";
        public const string SqliBody = "SqliBody";
    }

    /// <summary>A rule inside a customer-owned WAFv2 rule group.</summary>
    public sealed class WafRuleGroupRule
    {
        public string Name { get; set; } = "";
        public int Priority { get; set; }

        /// <summary>"ALLOW", "BLOCK", "COUNT", "CAPTCHA" or "CHALLENGE".</summary>
        public string Action { get; set; } = "BLOCK";

        /// <summary>One of <see cref="WafRuleStatementTypes"/>.</summary>
        public string StatementType { get; set; } = WafRuleStatementTypes.RateBased;

        public long? RateLimit { get; set; }
        public string[]? CountryCodes { get; set; }
        public string? SearchString { get; set; }

        /// <summary>
        /// The rules every sandbox rule group gets unless it is given its own: a per-IP rate limit, a block of /admin paths,
        /// a geo block and a SQL injection check of the body in COUNT (about 35 WCU in AWS's pricing of these statements).
        /// </summary>
        public static List<WafRuleGroupRule> DefaultSet() => new List<WafRuleGroupRule>
        {
            new WafRuleGroupRule { Name = "rate-limit-per-ip", Priority = 0, Action = "BLOCK", StatementType = WafRuleStatementTypes.RateBased, RateLimit = 2000 },
            new WafRuleGroupRule { Name = "block-admin-paths", Priority = 1, Action = "BLOCK", StatementType = WafRuleStatementTypes.UriPathStartsWith, SearchString = "/admin" },
            new WafRuleGroupRule { Name = "geo-block-embargoed", Priority = 2, Action = "BLOCK", StatementType = WafRuleStatementTypes.GeoMatch, CountryCodes = new[] { "CU", "IR", "KP", "SY" } },
            new WafRuleGroupRule { Name = "sqli-body-count", Priority = 3, Action = "COUNT", StatementType = WafRuleStatementTypes.SqliBody },
        };
    }

    public sealed class IpSet : WorldResource
    {
        public string Scope { get; set; } = WafScopes.Regional;
        public string IpAddressVersion { get; set; } = "IPV4";
        public string[] Addresses { get; set; } = NoStrings;
        public string LockToken { get; set; } = "";

        public override string ResourceType => ResourceTypes.IpSet;
        public override string Arn => WebAcl.WafArn(Region, AccountId, Scope, "ipset", Name ?? "", Id);
    }

    /// <summary>A WAF Classic rule group reference inside a classic web ACL.</summary>
    public sealed class ClassicRuleGroupReference
    {
        public string RuleGroupId { get; set; } = "";
        public int Priority { get; set; }

        /// <summary>"NONE" or "COUNT".</summary>
        public string OverrideAction { get; set; } = "NONE";
    }

    /// <summary>A WAF Classic web ACL: regional (waf-regional) or, in us-east-1 with <see cref="IsGlobal"/>, for CloudFront.</summary>
    public sealed class ClassicWebAcl : WorldResource
    {
        public bool IsGlobal { get; set; }
        public string DefaultAction { get; set; } = "ALLOW";
        public ClassicRuleGroupReference[] RuleGroups { get; set; } = new ClassicRuleGroupReference[0];
        public bool ManagedByFirewallManager { get; set; }

        public override string ResourceType => IsGlobal ? ResourceTypes.ClassicGlobalWebAcl : ResourceTypes.ClassicWebAcl;
        public override string Arn => IsGlobal
            ? "arn:aws:waf::" + AccountId + ":webacl/" + Id
            : "arn:aws:waf-regional:" + Region + ":" + AccountId + ":webacl/" + Id;
    }

    /// <summary>An account's Shield Advanced subscription (global; stored in us-east-1; at most one per account).</summary>
    public sealed class ShieldSubscription : WorldResource
    {
        public DateTime StartTime { get; set; }
        public string AutoRenew { get; set; } = "ENABLED";

        public override string ResourceType => ResourceTypes.ShieldSubscription;
        public override string Arn => "arn:aws:shield::" + AccountId + ":subscription/" + Id;
    }

    /// <summary>A Shield Advanced protection, stored in the protected resource's account and region.</summary>
    public sealed class ShieldProtection : WorldResource
    {
        public string ProtectedResourceArn { get; set; } = "";

        /// <summary>Application-layer automatic response for CloudFront/ALB: null, "BLOCK" or "COUNT".</summary>
        public string? AutomaticResponseAction { get; set; }

        public override string ResourceType => ResourceTypes.ShieldProtection;
        public override string Arn => "arn:aws:shield::" + AccountId + ":protection/" + Id;
    }

    public sealed class DnsFirewallRuleGroup : WorldResource
    {
        /// <summary>NOT_SHARED, SHARED_WITH_ME or SHARED_BY_ME.</summary>
        public string ShareStatus { get; set; } = "NOT_SHARED";
        public int RuleCount { get; set; }

        public override string ResourceType => ResourceTypes.DnsFirewallRuleGroup;
        public override string Arn => "arn:aws:route53resolver:" + Region + ":" + AccountId + ":firewall-rule-group/" + Id;
    }

    public sealed class DnsFirewallRuleGroupAssociation : WorldResource
    {
        public string FirewallRuleGroupId { get; set; } = "";
        public string VpcId { get; set; } = "";
        public int Priority { get; set; }

        /// <summary>The service that manages the association ("AWS Firewall Manager" for FMS ones), or null.</summary>
        public string? ManagedOwnerName { get; set; }
        public string MutationProtection { get; set; } = "DISABLED";

        public override string ResourceType => ResourceTypes.DnsFirewallRuleGroupAssociation;
        public override string Arn => "arn:aws:route53resolver:" + Region + ":" + AccountId + ":firewall-rule-group-association/" + Id;
    }
}
