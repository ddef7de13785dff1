using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Wafv2;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>The read side of WAFv2 over the World's web ACLs, rule groups, IP sets and associations, per calling account.</summary>
    internal sealed class Wafv2Service : JsonService
    {
        private const int DefaultPageSize = 100;

        public Wafv2Service() : base("wafv2", "WAFInvalidParameterException")
        {
            On<ListWebACLsRequest>("ListWebACLs", ListWebACLs);
            On<GetWebACLRequest>("GetWebACL", GetWebACL);
            On<ListRuleGroupsRequest>("ListRuleGroups", ListRuleGroups);
            On<GetRuleGroupRequest>("GetRuleGroup", GetRuleGroup);
            On<ListAvailableManagedRuleGroupsRequest>("ListAvailableManagedRuleGroups", ListAvailableManagedRuleGroups);
            On<DescribeManagedRuleGroupRequest>("DescribeManagedRuleGroup", DescribeManagedRuleGroup);
            On<ListAvailableManagedRuleGroupVersionsRequest>("ListAvailableManagedRuleGroupVersions", ListAvailableManagedRuleGroupVersions);
            On<GetWebACLForResourceRequest>("GetWebACLForResource", GetWebACLForResource);
            On<ListResourcesForWebACLRequest>("ListResourcesForWebACL", ListResourcesForWebACL);
            On<CheckCapacityRequest>("CheckCapacity", CheckCapacity);
            On<ListIPSetsRequest>("ListIPSets", ListIPSets);
        }

        private static SandboxServiceException Nonexistent()
            => new SandboxServiceException("WAFNonexistentItemException", "AWS WAF couldn\u2019t perform the operation because your resource doesn\u2019t exist.");

        private static SandboxServiceException InvalidParameter(string field, string parameter, string reason)
            => new SandboxServiceException("WAFInvalidParameterException",
                "Error reason: " + reason + ", field: " + field + ", parameter: " + parameter)
            {
                ExtraMembers = new Dictionary<string, string> { ["Field"] = field, ["Parameter"] = parameter, ["Reason"] = reason },
            };

        /// <summary>CLOUDFRONT scope is served only from us-east-1, where the World stores global WAF objects.</summary>
        private static string RegionFor(RequestContext context, string scope)
        {
            if (scope == WafScopes.CloudFront && context.Region != WorldRegions.Global)
                throw InvalidParameter("SCOPE_VALUE", scope, "The scope is not valid.");
            return context.Region;
        }

        private static IEnumerable<T> Owned<T>(RequestContext context, string scope, Func<T, string> scopeOf) where T : WorldResource
            => context.World.GetResources<T>(context.Caller.AccountId, RegionFor(context, scope)).Where(r => scopeOf(r) == scope);

        private static VisibilityConfig Visibility(string name)
            => new VisibilityConfig { SampledRequestsEnabled = true, CloudWatchMetricsEnabled = true, MetricName = MetricName(name) };

        private static string MetricName(string name)
        {
            var cleaned = new string(name.Where(c => char.IsLetterOrDigit(c) || c == '-' || c == '_').ToArray());
            return cleaned.Length == 0 ? "metric" : cleaned.Length > 255 ? cleaned.Substring(0, 255) : cleaned;
        }

        private static Statement StatementOf(WebAclRule rule)
        {
            switch (rule.StatementType)
            {
                case WebAclStatementTypes.ManagedRuleGroup:
                    return new Statement
                    {
                        ManagedRuleGroupStatement = new ManagedRuleGroupStatement
                        {
                            VendorName = rule.VendorName,
                            Name = rule.ManagedRuleGroupName,
                            Version = rule.Version,
                            ExcludedRules = rule.ExcludedRules?.Select(n => new ExcludedRule { Name = n }).ToList(),
                        },
                    };
                case WebAclStatementTypes.RuleGroupReference:
                    return new Statement
                    {
                        RuleGroupReferenceStatement = new RuleGroupReferenceStatement
                        {
                            ARN = rule.ReferenceArn,
                            ExcludedRules = rule.ExcludedRules?.Select(n => new ExcludedRule { Name = n }).ToList(),
                        },
                    };
                case WebAclStatementTypes.IpSetReference:
                    return new Statement { IPSetReferenceStatement = new IPSetReferenceStatement { ARN = rule.ReferenceArn } };
                default:
                    return new Statement { RateBasedStatement = new RateBasedStatement { Limit = rule.RateLimit ?? 2000, AggregateKeyType = "IP", EvaluationWindowSec = 300 } };
            }
        }

        private static bool IsRuleGroupStatement(WebAclRule rule)
            => rule.StatementType == WebAclStatementTypes.ManagedRuleGroup || rule.StatementType == WebAclStatementTypes.RuleGroupReference;

        private static Rule ToWire(WebAclRule rule)
        {
            var wire = new Rule { Name = rule.Name, Priority = rule.Priority, Statement = StatementOf(rule), VisibilityConfig = Visibility(rule.Name) };
            if (IsRuleGroupStatement(rule))
                wire.OverrideAction = rule.Action == "COUNT" ? new OverrideAction { Count = new CountAction() } : new OverrideAction { None = new NoneAction() };
            else
                wire.Action = ActionOf(rule.Action);
            return wire;
        }

        private static RuleAction ActionOf(string action) => action switch
        {
            "ALLOW" => new RuleAction { Allow = new AllowAction() },
            "COUNT" => new RuleAction { Count = new CountAction() },
            "CAPTCHA" => new RuleAction { Captcha = new CaptchaAction() },
            "CHALLENGE" => new RuleAction { Challenge = new ChallengeAction() },
            _ => new RuleAction { Block = new BlockAction() },
        };

        /// <summary>A customer rule group's rule as GetRuleGroup returns it.</summary>
        private static Rule ToWire(WafRuleGroupRule rule)
        {
            Statement statement;
            switch (rule.StatementType)
            {
                case WafRuleStatementTypes.GeoMatch:
                    statement = new Statement { GeoMatchStatement = new GeoMatchStatement { CountryCodes = (rule.CountryCodes ?? new string[0]).ToList() } };
                    break;
                case WafRuleStatementTypes.UriPathStartsWith:
                    statement = new Statement
                    {
                        ByteMatchStatement = new ByteMatchStatement
                        {
                            SearchString = System.Text.Encoding.UTF8.GetBytes(rule.SearchString ?? "/"),
                            FieldToMatch = new FieldToMatch { UriPath = new UriPath() },
                            TextTransformations = new List<TextTransformation> { new TextTransformation { Priority = 0, Type = "NONE" } },
                            PositionalConstraint = "STARTS_WITH",
                        },
                    };
                    break;
                case WafRuleStatementTypes.SqliBody:
                    statement = new Statement
                    {
                        SqliMatchStatement = new SqliMatchStatement
                        {
                            FieldToMatch = new FieldToMatch { Body = new Body { OversizeHandling = "CONTINUE" } },
                            TextTransformations = new List<TextTransformation> { new TextTransformation { Priority = 0, Type = "URL_DECODE" } },
                            SensitivityLevel = "LOW",
                        },
                    };
                    break;
                default:
                    statement = new Statement { RateBasedStatement = new RateBasedStatement { Limit = rule.RateLimit ?? 2000, AggregateKeyType = "IP", EvaluationWindowSec = 300 } };
                    break;
            }
            return new Rule { Name = rule.Name, Priority = rule.Priority, Statement = statement, Action = ActionOf(rule.Action), VisibilityConfig = Visibility(rule.Name) };
        }

        private static FirewallManagerRuleGroup ToFirewallManagerGroup(WebAclRule rule)
        {
            var statement = StatementOf(rule);
            return new FirewallManagerRuleGroup
            {
                Name = rule.Name,
                Priority = rule.Priority,
                FirewallManagerStatement = new FirewallManagerStatement
                {
                    ManagedRuleGroupStatement = statement.ManagedRuleGroupStatement,
                    RuleGroupReferenceStatement = statement.RuleGroupReferenceStatement,
                },
                OverrideAction = rule.Action == "COUNT" ? new OverrideAction { Count = new CountAction() } : new OverrideAction { None = new NoneAction() },
                VisibilityConfig = Visibility(rule.Name),
            };
        }

        internal static WebACL ToWire(WebAcl acl) => new WebACL
        {
            Name = acl.Name,
            Id = acl.Id,
            ARN = acl.Arn,
            Description = acl.Description,
            DefaultAction = acl.DefaultAction == "BLOCK" ? new DefaultAction { Block = new BlockAction() } : new DefaultAction { Allow = new AllowAction() },
            Rules = acl.Rules.OrderBy(r => r.Priority).Select(ToWire).ToList(),
            VisibilityConfig = Visibility(acl.Name ?? acl.Id),
            Capacity = acl.Capacity,
            PreProcessFirewallManagerRuleGroups = acl.PreProcessFirewallManagerRuleGroups.Select(ToFirewallManagerGroup).ToList(),
            PostProcessFirewallManagerRuleGroups = acl.PostProcessFirewallManagerRuleGroups.Select(ToFirewallManagerGroup).ToList(),
            ManagedByFirewallManager = acl.ManagedByFirewallManager,
            RetrofittedByFirewallManager = acl.RetrofittedByFirewallManager,
            LabelNamespace = "awswaf:" + acl.AccountId + ":webacl:" + acl.Name + ":",
        };

        private static T FindOwned<T>(RequestContext context, string? arn, string? name, string? id, string? scope) where T : WorldResource
        {
            WorldResource? found = null;
            if (!string.IsNullOrEmpty(arn)) found = context.World.FindByArn(arn!);
            else if (!string.IsNullOrEmpty(id))
            {
                if (string.IsNullOrEmpty(scope) || string.IsNullOrEmpty(name))
                    throw InvalidParameter("SCOPE_VALUE", scope ?? "", "Name, Scope and Id are required when ARN is not given.");
                RegionFor(context, scope!);
                found = context.World.FindById(id!);
                if (found != null && found.Name != name) found = null;
            }
            else
            {
                throw InvalidParameter("RESOURCE_ARN", "", "Either ARN or Name, Scope and Id must be given.");
            }
            if (found is T typed && typed.AccountId == context.Caller.AccountId && typed.Region == context.Region) return typed;
            throw Nonexistent();
        }

        private object ListWebACLs(RequestContext context, ListWebACLsRequest request)
        {
            var acls = Owned<WebAcl>(context, request.Scope!, a => a.Scope)
                .Select(a => new WebACLSummary { Name = a.Name, Id = a.Id, Description = a.Description, LockToken = a.LockToken, ARN = a.Arn }).ToList();
            var page = Pagination.Page(acls, request.Limit, request.NextMarker, DefaultPageSize, out var next, "WAFInvalidParameterException");
            return new ListWebACLsResponse { WebACLs = page, NextMarker = next };
        }

        private object GetWebACL(RequestContext context, GetWebACLRequest request)
        {
            var acl = FindOwned<WebAcl>(context, request.ARN, request.Name, request.Id, request.Scope);
            return new GetWebACLResponse { WebACL = ToWire(acl), LockToken = acl.LockToken };
        }

        private object ListRuleGroups(RequestContext context, ListRuleGroupsRequest request)
        {
            var groups = Owned<WafRuleGroup>(context, request.Scope!, g => g.Scope)
                .Select(g => new RuleGroupSummary { Name = g.Name, Id = g.Id, Description = g.Description, LockToken = g.LockToken, ARN = g.Arn }).ToList();
            var page = Pagination.Page(groups, request.Limit, request.NextMarker, DefaultPageSize, out var next, "WAFInvalidParameterException");
            return new ListRuleGroupsResponse { RuleGroups = page, NextMarker = next };
        }

        private object GetRuleGroup(RequestContext context, GetRuleGroupRequest request)
        {
            var group = FindOwned<WafRuleGroup>(context, request.ARN, request.Name, request.Id, request.Scope);
            return new GetRuleGroupResponse
            {
                LockToken = group.LockToken,
                RuleGroup = new RuleGroup
                {
                    Name = group.Name,
                    Id = group.Id,
                    ARN = group.Arn,
                    Capacity = group.Capacity,
                    Description = group.Description,
                    Rules = group.Rules.OrderBy(r => r.Priority).Select(ToWire).ToList(),
                    VisibilityConfig = Visibility(group.Name ?? group.Id),
                    LabelNamespace = "awswaf:" + group.AccountId + ":rulegroup:" + group.Name + ":",
                },
            };
        }

        private ManagedRuleGroupDescriptor FindManaged(RequestContext context, string scope, string vendor, string name)
        {
            RegionFor(context, scope);
            return context.World.FindManagedRuleGroup(vendor, name) ?? throw Nonexistent();
        }

        private object ListAvailableManagedRuleGroups(RequestContext context, ListAvailableManagedRuleGroupsRequest request)
        {
            RegionFor(context, request.Scope!);
            var groups = context.World.ManagedRuleGroups.Select(m => new ManagedRuleGroupSummary
            {
                VendorName = m.VendorName, Name = m.Name, Description = m.Description, VersioningSupported = m.Versions.Length > 0,
            }).ToList();
            var page = Pagination.Page(groups, request.Limit, request.NextMarker, DefaultPageSize, out var next, "WAFInvalidParameterException");
            return new ListAvailableManagedRuleGroupsResponse { ManagedRuleGroups = page, NextMarker = next };
        }

        private object DescribeManagedRuleGroup(RequestContext context, DescribeManagedRuleGroupRequest request)
        {
            var managed = FindManaged(context, request.Scope!, request.VendorName!, request.Name!);
            var version = request.VersionName ?? managed.DefaultVersion;
            if (request.VersionName != null && !managed.Versions.Contains(request.VersionName))
                throw InvalidParameter("VERSION", request.VersionName, "The version is not valid.");
            return new DescribeManagedRuleGroupResponse
            {
                VersionName = version,
                Capacity = managed.Capacity,
                Rules = managed.RuleNames.Select(n => new RuleSummary { Name = n, Action = new RuleAction { Block = new BlockAction() } }).ToList(),
                LabelNamespace = managed.LabelNamespace,
                AvailableLabels = managed.RuleNames.Select(n => new LabelSummary { Name = managed.LabelNamespace + n }).ToList(),
                ConsumedLabels = new List<LabelSummary>(),
            };
        }

        private object ListAvailableManagedRuleGroupVersions(RequestContext context, ListAvailableManagedRuleGroupVersionsRequest request)
        {
            var managed = FindManaged(context, request.Scope!, request.VendorName!, request.Name!);
            var released = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var versions = managed.Versions.Select((v, i) => new ManagedRuleGroupVersion { Name = v, LastUpdateTimestamp = released.AddDays(30 * i) })
                .Reverse().ToList();
            var page = Pagination.Page(versions, request.Limit, request.NextMarker, DefaultPageSize, out var next, "WAFInvalidParameterException");
            return new ListAvailableManagedRuleGroupVersionsResponse { Versions = page, NextMarker = next, CurrentDefaultVersion = managed.DefaultVersion };
        }

        private object GetWebACLForResource(RequestContext context, GetWebACLForResourceRequest request)
        {
            var resource = context.World.FindByArn(request.ResourceArn!) as WebAclProtectableResource;
            if (resource is null || resource.AccountId != context.Caller.AccountId) throw Nonexistent();
            if (string.IsNullOrEmpty(resource.WebAclArn)) return new GetWebACLForResourceResponse();
            var acl = context.World.FindByArn(resource.WebAclArn!) as WebAcl;
            return acl is null ? new GetWebACLForResourceResponse() : new GetWebACLForResourceResponse { WebACL = ToWire(acl) };
        }

        private static readonly Dictionary<string, string> WireResourceTypes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["APPLICATION_LOAD_BALANCER"] = ResourceTypes.ApplicationLoadBalancer,
            ["API_GATEWAY"] = ResourceTypes.ApiGatewayStage,
        };

        private object ListResourcesForWebACL(RequestContext context, ListResourcesForWebACLRequest request)
        {
            var acl = context.World.FindByArn(request.WebACLArn!) as WebAcl;
            if (acl is null || acl.AccountId != context.Caller.AccountId) throw Nonexistent();
            var wanted = WireResourceTypes.TryGetValue(request.ResourceType ?? "APPLICATION_LOAD_BALANCER", out var type) ? type : null;
            var arns = context.World.GetWebAclAssociations(acl)
                .Where(r => wanted != null && r.ResourceType == wanted)
                .Select(r => r.Arn).ToList();
            return new ListResourcesForWebACLResponse { ResourceArns = arns };
        }

        private object CheckCapacity(RequestContext context, CheckCapacityRequest request)
        {
            RegionFor(context, request.Scope!);
            long total = 0;
            foreach (var rule in request.Rules!) total += StatementCapacity(context, rule.Statement);
            return new CheckCapacityResponse { Capacity = total };
        }

        /// <summary>WCU per statement: rule groups cost their capacity, rate-based 2, everything else 1 per leaf statement.</summary>
        private long StatementCapacity(RequestContext context, Statement? statement)
        {
            if (statement is null) return 0;
            if (statement.ManagedRuleGroupStatement is ManagedRuleGroupStatement managed)
                return (context.World.FindManagedRuleGroup(managed.VendorName ?? "", managed.Name ?? "") ?? throw Nonexistent()).Capacity;
            if (statement.RuleGroupReferenceStatement is RuleGroupReferenceStatement reference)
                return (context.World.FindByArn(reference.ARN ?? "") as WafRuleGroup ?? throw Nonexistent()).Capacity;
            if (statement.RateBasedStatement != null) return 2 + StatementCapacity(context, statement.RateBasedStatement.ScopeDownStatement);
            if (statement.AndStatement?.Statements is List<Statement> and) return and.Sum(s => StatementCapacity(context, s));
            if (statement.OrStatement?.Statements is List<Statement> or) return or.Sum(s => StatementCapacity(context, s));
            if (statement.NotStatement?.Statement is Statement inner) return StatementCapacity(context, inner);
            return 1;
        }

        private object ListIPSets(RequestContext context, ListIPSetsRequest request)
        {
            var sets = Owned<IpSet>(context, request.Scope!, s => s.Scope)
                .Select(s => new IPSetSummary { Name = s.Name, Id = s.Id, LockToken = s.LockToken, ARN = s.Arn }).ToList();
            var page = Pagination.Page(sets, request.Limit, request.NextMarker, DefaultPageSize, out var next, "WAFInvalidParameterException");
            return new ListIPSetsResponse { IPSets = page, NextMarker = next };
        }
    }
}
