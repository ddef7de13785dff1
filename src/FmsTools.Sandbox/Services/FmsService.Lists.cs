using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Persistence;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    internal sealed partial class FmsService
    {
        // ------------------------------------------------------------------ FMS-managed default lists

        /// <summary>The AWS-managed lists every administrator sees with DefaultList/DefaultLists (fixed ids per region).</summary>
        private static readonly (string Id, string Name, App[] Apps)[] DefaultAppsLists =
        {
            ("da5a4b0e-71ab-4bf8-9fc7-5e2e1ad0a001", "FMS-Default-Public-Access-Apps-Allowed", new[]
            {
                new App { AppName = "HTTP", Protocol = "tcp", Port = 80 },
                new App { AppName = "HTTPS", Protocol = "tcp", Port = 443 },
            }),
            ("da5a4b0e-71ab-4bf8-9fc7-5e2e1ad0a002", "FMS-Default-Apps-List", new[]
            {
                new App { AppName = "HTTP", Protocol = "tcp", Port = 80 },
                new App { AppName = "HTTPS", Protocol = "tcp", Port = 443 },
                new App { AppName = "SSH", Protocol = "tcp", Port = 22 },
                new App { AppName = "RDP", Protocol = "tcp", Port = 3389 },
                new App { AppName = "MySQL", Protocol = "tcp", Port = 3306 },
                new App { AppName = "PostgreSQL", Protocol = "tcp", Port = 5432 },
                new App { AppName = "DNS", Protocol = "udp", Port = 53 },
            }),
        };

        private static readonly (string Id, string Name, string[] Protocols)[] DefaultProtocolsLists =
        {
            ("da5a4b0e-71ab-4bf8-9fc7-5e2e1ad0b001", "FMS-Default-Protocols-Allowed", new[] { "tcp", "udp", "icmp" }),
        };

        private static readonly DateTime DefaultListTime = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        private static AppsListData DefaultAppsList((string Id, string Name, App[] Apps) entry) => new AppsListData
        {
            ListId = entry.Id,
            ListName = entry.Name,
            ListUpdateToken = "1:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(entry.Id.Substring(0, 16))),
            CreateTime = DefaultListTime,
            LastUpdateTime = DefaultListTime,
            AppsList = entry.Apps.ToList(),
        };

        private static ProtocolsListData DefaultProtocolsList((string Id, string Name, string[] Protocols) entry) => new ProtocolsListData
        {
            ListId = entry.Id,
            ListName = entry.Name,
            ListUpdateToken = "1:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(entry.Id.Substring(0, 16))),
            CreateTime = DefaultListTime,
            LastUpdateTime = DefaultListTime,
            ProtocolsList = entry.Protocols.ToList(),
        };

        /// <summary>Default lists belong to AWS; their ARNs name the caller's account, as the real ones do.</summary>
        private static string ListArn(string kind, string region, string account, string id) => "arn:aws:fms:" + region + ":" + account + ":" + kind + "/" + id;

        /// <summary>Whether any of the administrator's policies refers to the id (a deleted list or set would break it).</summary>
        private static PolicyRecord? PolicyReferencing(RequestContext context, string ownerAccountId, string id)
            => context.Store.Policies.Values.FirstOrDefault(p => p.OwnerAccountId == ownerAccountId && p.Region == context.Region
                && ((p.Policy.SecurityServicePolicyData?.ManagedServiceData?.IndexOf(id, StringComparison.Ordinal) ?? -1) >= 0
                    || (p.Policy.ResourceSetIds?.Contains(id) ?? false)));

        private static void CheckListToken(string? given, string current, string kind, string id)
        {
            if (string.IsNullOrEmpty(given))
                throw SandboxFmsErrors.InvalidInput("ListUpdateToken is required to update " + kind + " " + id + ". Call Get" + kind + " for the current token.");
            if (!string.Equals(given, current, StringComparison.Ordinal))
                throw SandboxFmsErrors.InvalidInput("The ListUpdateToken " + given + " is out of date: " + kind + " " + id
                    + " was changed after you read it. Read it again for the current ListUpdateToken and retry.");
        }

        /// <summary>The caller's own records of this region, in creation order (what listings show and quotas count).</summary>
        private static IEnumerable<T> OwnedBy<T>(RequestContext context, AdminRecord admin, StateTable<T> table) where T : class, IAdminOwned
            => table.Values.Where(r => r.OwnerAccountId == admin.AccountId && r.Region == context.Region).OrderBy(r => r.Sequence);

        /// <summary>The caller's record with this id in this region; one of another administrator or region is NotFound too.</summary>
        private static T FindOwned<T>(RequestContext context, AdminRecord admin, StateTable<T> table, string id, string notFoundMessage)
            where T : class, IAdminOwned
        {
            var record = table.Find(id);
            if (record is null || record.OwnerAccountId != admin.AccountId || record.Region != context.Region)
                throw SandboxFmsErrors.NotFound(notFoundMessage);
            return record;
        }

        /// <summary>The list a Put updates (its ListUpdateToken checked), or null when the Put creates one within the quota.</summary>
        private static T? ListToUpdate<T>(RequestContext context, AdminRecord admin, StateTable<T> table, string? id, string? token,
            Func<T, string> currentToken, string noun, string wireName, int quota) where T : class, IAdminOwned
        {
            if (!string.IsNullOrEmpty(id))
            {
                var existing = FindOwned(context, admin, table, id!, "The " + noun + " " + id + " does not exist.");
                CheckListToken(token, currentToken(existing), wireName, id!);
                return existing;
            }
            if (OwnedBy(context, admin, table).Count() >= quota)
                throw SandboxFmsErrors.LimitExceeded("You have reached the limit of " + quota + " custom " + noun + "s in " + context.Region + ".");
            return null;
        }

        /// <summary>The earlier versions a list keeps after an update: those it had, plus the one replaced, under its token.</summary>
        private static Dictionary<string, List<T>> WithReplacedVersion<T>(Dictionary<string, List<T>>? kept, string replacedToken, List<T>? replaced)
            => new Dictionary<string, List<T>>(kept ?? new Dictionary<string, List<T>>()) { [replacedToken] = replaced ?? new List<T>() };

        /// <summary>Deletes the caller's list or resource set, unless one of its policies uses it.</summary>
        private static object? DeleteOwned<T>(RequestContext context, StateTable<T> table, string id, string noun, string arnKind) where T : class, IAdminOwned
        {
            var admin = RequireAdmin(context);
            FindOwned(context, admin, table, id, "The " + noun + " " + id + " does not exist.");
            var user = PolicyReferencing(context, admin.AccountId, id);
            if (user != null)
                throw SandboxFmsErrors.InvalidOperation("The " + noun + " " + id + " is used by policy " + user.Policy.PolicyId + " and cannot be deleted.");
            table.Remove(id);
            context.Store.Tags.Remove(ListArn(arnKind, context.Region, admin.AccountId, id));
            return null;
        }

        // ------------------------------------------------------------------ applications lists

        private object PutAppsList(RequestContext context, PutAppsListRequest request)
        {
            var admin = RequireAdmin(context);
            var store = context.Store;
            var input = request.AppsList!;
            var apps = input.AppsList ?? new List<App>();
            if (apps.Count > _options.Quotas.AppsPerList)
                throw SandboxFmsErrors.LimitExceeded("An applications list can hold at most " + _options.Quotas.AppsPerList + " applications.");
            var existing = ListToUpdate(context, admin, store.AppsLists, input.ListId, input.ListUpdateToken, l => l.List.ListUpdateToken!,
                "applications list", "AppsList", _options.Quotas.CustomAppsLists);
            var id = existing?.List.ListId ?? Guid.NewGuid().ToString();
            var record = new AppsListRecord
            {
                OwnerAccountId = admin.AccountId,
                Region = context.Region,
                Sequence = existing?.Sequence ?? store.NextSequence("appsLists"),
                List = new AppsListData
                {
                    ListId = id,
                    ListName = input.ListName,
                    ListUpdateToken = NewUpdateToken(),
                    CreateTime = existing?.List.CreateTime ?? context.Now,
                    LastUpdateTime = context.Now,
                    AppsList = apps.Select(a => new App { AppName = a.AppName, Protocol = a.Protocol, Port = a.Port }).ToList(),
                    PreviousAppsList = existing == null ? null
                        : WithReplacedVersion(existing.List.PreviousAppsList, existing.List.ListUpdateToken!, existing.List.AppsList),
                },
            };
            store.AppsLists.Put(id, record);
            var arn = ListArn("applications-list", context.Region, admin.AccountId, id);
            if (request.TagList != null && request.TagList.Count > 0) MergeTags(store, arn, request.TagList);
            return new PutAppsListResponse { AppsList = record.List, AppsListArn = arn };
        }

        private object GetAppsList(RequestContext context, GetAppsListRequest request)
        {
            var admin = RequireAdmin(context);
            var id = request.ListId!;
            if (request.DefaultList == true)
            {
                foreach (var entry in DefaultAppsLists)
                    if (entry.Id == id)
                        return new GetAppsListResponse { AppsList = DefaultAppsList(entry), AppsListArn = ListArn("applications-list", context.Region, admin.AccountId, id) };
                throw SandboxFmsErrors.NotFound("The default applications list " + id + " does not exist.");
            }
            var record = FindOwned(context, admin, context.Store.AppsLists, id, "The applications list " + id + " does not exist.");
            return new GetAppsListResponse { AppsList = record.List, AppsListArn = ListArn("applications-list", context.Region, admin.AccountId, id) };
        }

        private object? DeleteAppsList(RequestContext context, DeleteAppsListRequest request)
            => DeleteOwned(context, context.Store.AppsLists, request.ListId!, "applications list", "applications-list");

        private object ListAppsLists(RequestContext context, ListAppsListsRequest request)
        {
            var admin = RequireAdmin(context);
            var summaries = request.DefaultLists == true
                ? DefaultAppsLists.Select(entry => DefaultAppsList(entry)).Select(l => Summary(context, admin, l)).ToList()
                : OwnedBy(context, admin, context.Store.AppsLists).Select(l => Summary(context, admin, l.List)).ToList();
            var page = Pagination.Page(summaries, request.MaxResults, request.NextToken, 100, out var next);
            return new ListAppsListsResponse { AppsLists = page, NextToken = next };
        }

        private static AppsListDataSummary Summary(RequestContext context, AdminRecord admin, AppsListData list) => new AppsListDataSummary
        {
            ListArn = ListArn("applications-list", context.Region, admin.AccountId, list.ListId!),
            ListId = list.ListId,
            ListName = list.ListName,
            AppsList = list.AppsList,
        };

        // ------------------------------------------------------------------ protocols lists

        private object PutProtocolsList(RequestContext context, PutProtocolsListRequest request)
        {
            var admin = RequireAdmin(context);
            var store = context.Store;
            var input = request.ProtocolsList!;
            var protocols = input.ProtocolsList ?? new List<string>();
            if (protocols.Count > _options.Quotas.ProtocolsPerList)
                throw SandboxFmsErrors.LimitExceeded("A protocols list can hold at most " + _options.Quotas.ProtocolsPerList + " protocols.");
            var existing = ListToUpdate(context, admin, store.ProtocolsLists, input.ListId, input.ListUpdateToken, l => l.List.ListUpdateToken!,
                "protocols list", "ProtocolsList", _options.Quotas.CustomProtocolsLists);
            var id = existing?.List.ListId ?? Guid.NewGuid().ToString();
            var record = new ProtocolsListRecord
            {
                OwnerAccountId = admin.AccountId,
                Region = context.Region,
                Sequence = existing?.Sequence ?? store.NextSequence("protocolsLists"),
                List = new ProtocolsListData
                {
                    ListId = id,
                    ListName = input.ListName,
                    ListUpdateToken = NewUpdateToken(),
                    CreateTime = existing?.List.CreateTime ?? context.Now,
                    LastUpdateTime = context.Now,
                    ProtocolsList = protocols.ToList(),
                    PreviousProtocolsList = existing == null ? null
                        : WithReplacedVersion(existing.List.PreviousProtocolsList, existing.List.ListUpdateToken!, existing.List.ProtocolsList),
                },
            };
            store.ProtocolsLists.Put(id, record);
            var arn = ListArn("protocols-list", context.Region, admin.AccountId, id);
            if (request.TagList != null && request.TagList.Count > 0) MergeTags(store, arn, request.TagList);
            return new PutProtocolsListResponse { ProtocolsList = record.List, ProtocolsListArn = arn };
        }

        private object GetProtocolsList(RequestContext context, GetProtocolsListRequest request)
        {
            var admin = RequireAdmin(context);
            var id = request.ListId!;
            if (request.DefaultList == true)
            {
                foreach (var entry in DefaultProtocolsLists)
                    if (entry.Id == id)
                        return new GetProtocolsListResponse { ProtocolsList = DefaultProtocolsList(entry), ProtocolsListArn = ListArn("protocols-list", context.Region, admin.AccountId, id) };
                throw SandboxFmsErrors.NotFound("The default protocols list " + id + " does not exist.");
            }
            var record = FindOwned(context, admin, context.Store.ProtocolsLists, id, "The protocols list " + id + " does not exist.");
            return new GetProtocolsListResponse { ProtocolsList = record.List, ProtocolsListArn = ListArn("protocols-list", context.Region, admin.AccountId, id) };
        }

        private object? DeleteProtocolsList(RequestContext context, DeleteProtocolsListRequest request)
            => DeleteOwned(context, context.Store.ProtocolsLists, request.ListId!, "protocols list", "protocols-list");

        private object ListProtocolsLists(RequestContext context, ListProtocolsListsRequest request)
        {
            var admin = RequireAdmin(context);
            var lists = request.DefaultLists == true
                ? DefaultProtocolsLists.Select(entry => DefaultProtocolsList(entry)).ToList()
                : OwnedBy(context, admin, context.Store.ProtocolsLists).Select(l => l.List).ToList();
            var summaries = lists.Select(l => new ProtocolsListDataSummary
            {
                ListArn = ListArn("protocols-list", context.Region, admin.AccountId, l.ListId!),
                ListId = l.ListId,
                ListName = l.ListName,
                ProtocolsList = l.ProtocolsList,
            }).ToList();
            var page = Pagination.Page(summaries, request.MaxResults, request.NextToken, 100, out var next);
            return new ListProtocolsListsResponse { ProtocolsLists = page, NextToken = next };
        }

        // ------------------------------------------------------------------ resource sets (#16)

        private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

        private static string NewResourceSetId()
        {
            var bytes = new byte[22];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            var chars = new char[22];
            for (var i = 0; i < chars.Length; i++) chars[i] = Base62[bytes[i] % Base62.Length];
            return new string(chars);
        }

        private static string ResourceSetArn(ResourceSetRecord record)
            => ListArn("resource-set", record.Region, record.OwnerAccountId, record.Set.Id!);

        private static ResourceSetRecord FindResourceSet(RequestContext context, AdminRecord admin, string id)
            => FindOwned(context, admin, context.Store.ResourceSets, id, "The resource set " + id + " does not exist.");

        private object PutResourceSet(RequestContext context, PutResourceSetRequest request)
        {
            var admin = RequireAdmin(context);
            var store = context.Store;
            var input = request.ResourceSet!;
            ResourceSetRecord? existing = null;
            if (!string.IsNullOrEmpty(input.Id))
            {
                existing = FindResourceSet(context, admin, input.Id!);
                // The token is optional: without it the update is unconditional (#16).
                if (!string.IsNullOrEmpty(input.UpdateToken) && !string.Equals(input.UpdateToken, existing.Set.UpdateToken, StringComparison.Ordinal))
                    throw SandboxFmsErrors.InvalidOperation("The UpdateToken " + input.UpdateToken + " is out of date: resource set " + input.Id
                        + " was changed after you read it. Call GetResourceSet for the current UpdateToken and retry.");
            }
            else if (OwnedBy(context, admin, store.ResourceSets).Count() >= _options.Quotas.ResourceSetsPerAdmin)
            {
                throw SandboxFmsErrors.LimitExceeded("You have reached the limit of " + _options.Quotas.ResourceSetsPerAdmin + " resource sets in " + context.Region + ".");
            }
            var record = new ResourceSetRecord
            {
                OwnerAccountId = admin.AccountId,
                Region = context.Region,
                Sequence = existing?.Sequence ?? store.NextSequence("resourceSets"),
                Resources = existing?.Resources ?? new List<Resource>(),
                Set = new ResourceSet
                {
                    Id = existing?.Set.Id ?? NewResourceSetId(),
                    Name = input.Name,
                    Description = input.Description,
                    UpdateToken = NewUpdateToken(),
                    ResourceTypeList = (input.ResourceTypeList ?? new List<string>()).Distinct().ToList(),
                    LastUpdateTime = context.Now,
                    ResourceSetStatus = ResourceSetStatusValues.Active,
                },
            };
            store.ResourceSets.Put(record.Set.Id!, record);
            if (request.TagList != null && request.TagList.Count > 0) MergeTags(store, ResourceSetArn(record), request.TagList);
            return new PutResourceSetResponse { ResourceSet = record.Set, ResourceSetArn = ResourceSetArn(record) };
        }

        private object GetResourceSet(RequestContext context, GetResourceSetRequest request)
        {
            var admin = RequireAdmin(context);
            var record = FindResourceSet(context, admin, request.Identifier!);
            return new GetResourceSetResponse { ResourceSet = record.Set, ResourceSetArn = ResourceSetArn(record) };
        }

        private object? DeleteResourceSet(RequestContext context, DeleteResourceSetRequest request)
            => DeleteOwned(context, context.Store.ResourceSets, request.Identifier!, "resource set", "resource-set");

        private object ListResourceSets(RequestContext context, ListResourceSetsRequest request)
        {
            var admin = RequireAdmin(context);
            var summaries = OwnedBy(context, admin, context.Store.ResourceSets)
                .Select(s => new ResourceSetSummary
                {
                    Id = s.Set.Id,
                    Name = s.Set.Name,
                    Description = s.Set.Description,
                    LastUpdateTime = s.Set.LastUpdateTime,
                    ResourceSetStatus = s.Set.ResourceSetStatus,
                }).ToList();
            var page = Pagination.Page(summaries, request.MaxResults, request.NextToken, 100, out var next);
            return new ListResourceSetsResponse { ResourceSets = page, NextToken = next };
        }

        /// <summary>Which ARN service and resource prefix each CloudFormation type uses, to check associated URIs.</summary>
        private static readonly Dictionary<string, (string Service, string Prefix)> ArnShapes = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            [ResourceTypes.Vpc] = ("ec2", "vpc/"),
            [ResourceTypes.Subnet] = ("ec2", "subnet/"),
            [ResourceTypes.SecurityGroup] = ("ec2", "security-group/"),
            [ResourceTypes.Instance] = ("ec2", "instance/"),
            [ResourceTypes.NetworkInterface] = ("ec2", "network-interface/"),
            [ResourceTypes.NetworkAcl] = ("ec2", "network-acl/"),
            [ResourceTypes.ElasticIp] = ("ec2", "eip-allocation/"),
            [ResourceTypes.ApplicationLoadBalancer] = ("elasticloadbalancing", "loadbalancer/"),
            [ResourceTypes.ClassicLoadBalancer] = ("elasticloadbalancing", "loadbalancer/"),
            [ResourceTypes.ApiGatewayStage] = ("apigateway", "/restapis/"),
            [ResourceTypes.CloudFrontDistribution] = ("cloudfront", "distribution/"),
            [ResourceTypes.WebAcl] = ("wafv2", ""),
            [ResourceTypes.NetworkFirewall] = ("network-firewall", "firewall/"),
            [ResourceTypes.NetworkFirewallPolicy] = ("network-firewall", "firewall-policy/"),
        };

        private string? AssociationFailure(RequestContext context, ResourceSetRecord set, string uri, out string accountId)
        {
            accountId = "";
            var parts = uri.Split(new[] { ':' }, 6);
            if (parts.Length != 6 || parts[0] != "arn" || parts[5].Length == 0) return FailedItemReasonValues.NotValidArn;
            if (parts[1] != "aws") return FailedItemReasonValues.NotValidPartition;
            var service = parts[2];
            var region = parts[3];
            accountId = parts[4];
            if (region.Length > 0 && region != context.Region) return FailedItemReasonValues.NotValidRegion;
            var types = set.Set.ResourceTypeList ?? new List<string>();
            var shapes = types.Where(ArnShapes.ContainsKey).Select(t => ArnShapes[t]).ToList();
            if (shapes.Count > 0 && !shapes.Any(s => s.Service == service)) return FailedItemReasonValues.NotValidService;
            var known = context.World.FindByArn(uri);
            if (known != null)
            {
                if (types.Count > 0 && !types.Contains(known.ResourceType)) return FailedItemReasonValues.NotValidResourceType;
            }
            else if (shapes.Count > 0 && !shapes.Any(s => s.Service == service && parts[5].StartsWith(s.Prefix, StringComparison.Ordinal)))
            {
                return FailedItemReasonValues.NotValidResourceType;
            }
            if (service == "apigateway" && known != null) accountId = known.AccountId;
            if (accountId.Length == 0 || context.World.FindAccount(accountId) is null) return FailedItemReasonValues.NotValidAccountId;
            return null;
        }

        private object BatchAssociateResource(RequestContext context, BatchAssociateResourceRequest request)
        {
            var admin = RequireAdmin(context);
            var set = FindResourceSet(context, admin, request.ResourceSetIdentifier!);
            var resources = set.Resources.ToList();
            var failed = new List<FailedItem>();
            foreach (var uri in request.Items!.Distinct())
            {
                var reason = AssociationFailure(context, set, uri, out var accountId);
                if (reason != null)
                {
                    failed.Add(new FailedItem { URI = uri, Reason = reason });
                    continue;
                }
                if (resources.Any(r => r.URI == uri)) continue;
                resources.Add(new Resource { URI = uri, AccountId = accountId });
            }
            if (resources.Count > _options.Quotas.ResourcesPerResourceSet)
                throw SandboxFmsErrors.LimitExceeded("A resource set can hold at most " + _options.Quotas.ResourcesPerResourceSet + " resources.");
            if (resources.Count != set.Resources.Count)
                context.Store.ResourceSets.Put(set.Set.Id!, new ResourceSetRecord
                {
                    OwnerAccountId = set.OwnerAccountId, Region = set.Region, Sequence = set.Sequence, Set = set.Set, Resources = resources,
                });
            return new BatchAssociateResourceResponse { ResourceSetIdentifier = set.Set.Id, FailedItems = failed };
        }

        private object BatchDisassociateResource(RequestContext context, BatchDisassociateResourceRequest request)
        {
            var admin = RequireAdmin(context);
            var set = FindResourceSet(context, admin, request.ResourceSetIdentifier!);
            var remove = new HashSet<string>(request.Items!, StringComparer.Ordinal);
            var failed = new List<FailedItem>();
            foreach (var uri in remove)
                if (!uri.StartsWith("arn:", StringComparison.Ordinal)) failed.Add(new FailedItem { URI = uri, Reason = FailedItemReasonValues.NotValidArn });
            var resources = set.Resources.Where(r => !remove.Contains(r.URI!)).ToList();
            if (resources.Count != set.Resources.Count)
                context.Store.ResourceSets.Put(set.Set.Id!, new ResourceSetRecord
                {
                    OwnerAccountId = set.OwnerAccountId, Region = set.Region, Sequence = set.Sequence, Set = set.Set, Resources = resources,
                });
            return new BatchDisassociateResourceResponse { ResourceSetIdentifier = set.Set.Id, FailedItems = failed };
        }

        private object ListResourceSetResources(RequestContext context, ListResourceSetResourcesRequest request)
        {
            var admin = RequireAdmin(context);
            var set = FindResourceSet(context, admin, request.Identifier!);
            var page = Pagination.Page(set.Resources, request.MaxResults, request.NextToken, 100, out var next);
            return new ListResourceSetResourcesResponse { Items = page, NextToken = next };
        }

        // ------------------------------------------------------------------ third-party firewalls

        private static ThirdPartyFirewallAssociation? FindAssociation(RequestContext context, AdminRecord admin, string firewall)
            => context.World.ThirdPartyFirewallAssociations.FirstOrDefault(a => a.AdminAccountId == admin.AccountId && a.ThirdPartyFirewall == firewall);

        private object AssociateThirdPartyFirewall(RequestContext context, AssociateThirdPartyFirewallRequest request)
        {
            var admin = RequireAdmin(context);
            var association = FindAssociation(context, admin, request.ThirdPartyFirewall!);
            if (association is null)
            {
                association = new ThirdPartyFirewallAssociation
                {
                    AdminAccountId = admin.AccountId,
                    ThirdPartyFirewall = request.ThirdPartyFirewall!,
                    Status = ThirdPartyFirewallAssociationStatusValues.Onboarding,
                    MarketplaceOnboardingStatus = MarketplaceSubscriptionOnboardingStatusValues.Complete,
                    FirewallPolicyNames = new[] { "Baseline-Inspection", "Egress-Filtering" },
                };
                context.World.ThirdPartyFirewallAssociations.Add(association);
            }
            // Onboarding completes on the next convergence pass (SandboxHost.Converge).
            else if (association.Status != ThirdPartyFirewallAssociationStatusValues.OnboardComplete)
                association.Status = ThirdPartyFirewallAssociationStatusValues.Onboarding;
            context.World.MarkChanged();
            return new AssociateThirdPartyFirewallResponse { ThirdPartyFirewallStatus = association.Status };
        }

        private object DisassociateThirdPartyFirewall(RequestContext context, DisassociateThirdPartyFirewallRequest request)
        {
            var admin = RequireAdmin(context);
            var association = FindAssociation(context, admin, request.ThirdPartyFirewall!);
            if (association is null || association.Status == ThirdPartyFirewallAssociationStatusValues.NotExist)
                throw SandboxFmsErrors.NotFound("The administrator is not associated with " + request.ThirdPartyFirewall + ".");
            if (association.Status != ThirdPartyFirewallAssociationStatusValues.OffboardComplete)
                association.Status = ThirdPartyFirewallAssociationStatusValues.Offboarding;
            context.World.MarkChanged();
            return new DisassociateThirdPartyFirewallResponse { ThirdPartyFirewallStatus = association.Status };
        }

        private object GetThirdPartyFirewallAssociationStatus(RequestContext context, GetThirdPartyFirewallAssociationStatusRequest request)
        {
            var admin = RequireAdmin(context);
            var association = FindAssociation(context, admin, request.ThirdPartyFirewall!);
            return association is null
                ? new GetThirdPartyFirewallAssociationStatusResponse
                {
                    ThirdPartyFirewallStatus = ThirdPartyFirewallAssociationStatusValues.NotExist,
                    MarketplaceOnboardingStatus = MarketplaceSubscriptionOnboardingStatusValues.NoSubscription,
                }
                : new GetThirdPartyFirewallAssociationStatusResponse
                {
                    ThirdPartyFirewallStatus = association.Status,
                    MarketplaceOnboardingStatus = association.MarketplaceOnboardingStatus,
                };
        }

        private object ListThirdPartyFirewallFirewallPolicies(RequestContext context, ListThirdPartyFirewallFirewallPoliciesRequest request)
        {
            var admin = RequireAdmin(context);
            var association = FindAssociation(context, admin, request.ThirdPartyFirewall!);
            if (association is null || association.Status != ThirdPartyFirewallAssociationStatusValues.OnboardComplete)
                throw SandboxFmsErrors.InvalidOperation("The administrator has not completed onboarding to " + request.ThirdPartyFirewall
                    + "; call AssociateThirdPartyFirewall and wait for ONBOARD_COMPLETE.");
            var policies = association.FirewallPolicyNames.Select(name => new ThirdPartyFirewallFirewallPolicy
            {
                FirewallPolicyId = StableId(request.ThirdPartyFirewall + "/" + admin.AccountId + "/" + name),
                FirewallPolicyName = name,
            }).ToList();
            var page = Pagination.Page(policies, request.MaxResults, request.NextToken, 100, out var next);
            return new ListThirdPartyFirewallFirewallPoliciesResponse { ThirdPartyFirewallFirewallPolicies = page, NextToken = next };
        }

        private static string StableId(string text)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return new Guid(hash.Take(16).ToArray()).ToString();
        }
    }
}
