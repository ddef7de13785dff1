using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Engine.Administration;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Engine.Configuration
{
    /// <summary>
    /// Applies one step of a <see cref="ConfigurationSyncPlan"/> in its Region through the services every Set-/Remove-
    /// cmdlet uses (so each change is journaled and sent with the update token it was read with). Resource sets created
    /// here add their ids to <see cref="ResourceSetIds"/>, which the policies after them are resolved with.
    /// </summary>
    public sealed class ConfigurationApplier
    {
        private readonly PolicyService _policies;
        private readonly AdministrationContext _context;

        public ConfigurationApplier(PolicyService policies, AdministrationContext context, Dictionary<string, string> resourceSetIds)
        {
            _policies = policies ?? throw new ArgumentNullException(nameof(policies));
            _context = context ?? throw new ArgumentNullException(nameof(context));
            ResourceSetIds = resourceSetIds ?? throw new ArgumentNullException(nameof(resourceSetIds));
        }

        /// <summary>The Region's resource set ids by name (live ones, and those created by this run).</summary>
        public Dictionary<string, string> ResourceSetIds { get; }

        /// <summary>Makes the change of <paramref name="step"/>; returns the object's live id afterwards.</summary>
        public async Task<string?> ApplyAsync(ConfigurationStep step, CancellationToken ct)
        {
            switch (step.Kind)
            {
                case ConfigurationKind.Policy: return await PolicyAsync(step, ct).ConfigureAwait(false);
                case ConfigurationKind.ResourceSet: return await ResourceSetAsync(step, ct).ConfigureAwait(false);
                case ConfigurationKind.AppsList:
                    return await ListAsync(new FmsListService<FmsAppsList, FmsApp>(_context, FmsListKinds.Apps), step, step.Desired?.AppsList,
                        (FmsAppsList?)step.Deployed?.Deployed, ct).ConfigureAwait(false);
                case ConfigurationKind.ProtocolsList:
                    return await ListAsync(new FmsListService<FmsProtocolsList, string>(_context, FmsListKinds.Protocols), step, step.Desired?.ProtocolsList,
                        (FmsProtocolsList?)step.Deployed?.Deployed, ct).ConfigureAwait(false);
                case ConfigurationKind.NotificationChannel:
                    var channels = new NotificationChannelService(_context);
                    var current = (FmsNotificationChannel?)step.Deployed?.Deployed;
                    if (step.Action == SyncActionKind.Delete) await channels.DeleteNotificationChannelAsync(current, ct).ConfigureAwait(false);
                    // The channel's newer API members: an update sends the deployed channel's, never the file's copy; a create the file's.
                    else await channels.SetNotificationChannelAsync(step.Desired!.NotificationChannel!.SnsTopicArn!, step.Desired.NotificationChannel.SnsRoleName!, current,
                        current != null ? current.AdditionalFields : step.Desired.AdditionalFields, ct).ConfigureAwait(false);
                    return null;
                case ConfigurationKind.AdminAccount:
                    var admin = step.Desired!.AdminAccount!;
                    var deployed = (FmsAdminAccount?)step.Deployed?.Deployed;
                    var service = new AdminAccountService(_context);
                    // The default administrator is associated (AssociateAdminAccount; its scope is the whole organization); other administrators are put with their scope.
                    if (admin.IsDefaultAdmin) await service.SetAdminAccountAsync(admin.AccountId, null, ct).ConfigureAwait(false);
                    else
                    {
                        // The scope's newer API members: an update sends the deployed scope's (read by GetAdminScope for the plan), never the file's copy; a create the file's.
                        var scope = admin.Scope ?? new FmsAdminScope();
                        await service.SetAdminAccountAsync(admin.AccountId, scope, deployed?.Scope, deployed != null ? deployed.Scope?.AdditionalFields : scope.AdditionalFields, ct)
                            .ConfigureAwait(false);
                    }
                    return admin.AccountId;
                default:
                    throw new ArgumentOutOfRangeException(nameof(step));
            }
        }

        private async Task<string?> PolicyAsync(ConfigurationStep step, CancellationToken ct)
        {
            var action = step.PolicyAction!;
            switch (step.Action)
            {
                case SyncActionKind.Create:
                    return (await _policies.CreateAsync(ConfigurationSyncPlan.PolicyToPut(step, ResourceSetIds), ct).ConfigureAwait(false)).PolicyId;
                case SyncActionKind.Update:
                    var live = (FmsPolicy)step.Deployed!.Deployed!;
                    await _policies.UpdateAsync(ConfigurationSyncPlan.PolicyToPut(step, ResourceSetIds), live, ct).ConfigureAwait(false);
                    return live.PolicyId;
                case SyncActionKind.Delete:
                    await _policies.DeleteAsync(action.Deployed!.PolicyId!, false, ct).ConfigureAwait(false);
                    return action.Deployed.PolicyId;
                default:
                    return action.PolicyId;
            }
        }

        private async Task<string?> ResourceSetAsync(ConfigurationStep step, CancellationToken ct)
        {
            var service = new ResourceSetService(_context);
            var live = (FmsResourceSet?)step.Deployed?.Deployed;
            if (step.Action == SyncActionKind.Delete)
            {
                await service.DeleteResourceSetAsync(live!.Id!, live, ct).ConfigureAwait(false);
                ResourceSetIds.Remove(step.Name);
                return live.Id;
            }
            var item = step.Desired!;
            var want = item.ResourceSet!;
            string id;
            string? arn;
            if (live == null)
            {
                var created = await service.PutResourceSetAsync(new FmsResourceSet { Name = want.Name, Description = want.Description, ResourceTypes = want.ResourceTypes.ToList() },
                    item.Tags.Count == 0 ? null : item.Tags, item.AdditionalFields, ct).ConfigureAwait(false);
                id = created.Id!;
                ResourceSetIds[item.Name] = id;
                await ChangeResourcesAsync(service, id, item.Resources, true, ct).ConfigureAwait(false);
                return id;
            }
            id = live.Id!;
            arn = live.Arn;
            if (step.Differences.Any(d => d.Field == "description" || d.Field.StartsWith("resourceTypes", StringComparison.Ordinal)))
            {
                await service.PutResourceSetAsync(new FmsResourceSet
                {
                    Id = id, Name = want.Name, Description = want.Description, ResourceTypes = want.ResourceTypes.ToList(), UpdateToken = live.UpdateToken,
                }, null, live.AdditionalFields, ct).ConfigureAwait(false); // the deployed set's newer members, not the file's copy
            }
            var current = step.Deployed!.Resources;
            await ChangeResourcesAsync(service, id, item.Resources.Except(current, StringComparer.Ordinal).ToList(), true, ct).ConfigureAwait(false);
            await ChangeResourcesAsync(service, id, current.Except(item.Resources, StringComparer.Ordinal).ToList(), false, ct).ConfigureAwait(false);
            await TagsAsync(arn, item.Tags, step.Deployed.Tags, ct).ConfigureAwait(false);
            return id;
        }

        private static async Task ChangeResourcesAsync(ResourceSetService service, string id, IReadOnlyList<string> uris, bool associate, CancellationToken ct)
        {
            if (uris.Count == 0) return;
            var failed = new List<string>();
            await foreach (var change in service.ChangeResourcesAsync(id, uris, associate, ct).ConfigureAwait(false))
                if (!change.Succeeded) failed.Add(change.Uri + (change.FailureReason == null ? "" : " (" + change.FailureReason + ")"));
            if (failed.Count > 0)
                throw new InvalidOperationException($"{failed.Count} resource(s) could not be {(associate ? "added to" : "removed from")} the resource set: {string.Join("; ", failed)}.");
        }

        private async Task<string?> ListAsync<TList, TItem>(FmsListService<TList, TItem> service, ConfigurationStep step, TList? want, TList? live,
            CancellationToken ct)
            where TList : class, IFmsList
        {
            if (step.Action == SyncActionKind.Delete)
            {
                await service.DeleteListAsync(live!.ListId!, live, ct).ConfigureAwait(false);
                return live.ListId;
            }
            var item = step.Desired!;
            want!.ListId = live?.ListId;
            want.UpdateToken = live?.UpdateToken;
            var contentChanged = live == null || step.Differences.Any(d => !d.Field.StartsWith("tags", StringComparison.Ordinal));
            string? id = live?.ListId;
            if (contentChanged)
            {
                // The newer API's members: an update sends the deployed list's (read with its update token), never the file's copy; a create the file's.
                var stored = await service.PutListAsync(want!, live == null && item.Tags.Count > 0 ? item.Tags : null,
                    live != null ? service.Kind.AdditionalFields(live) : item.AdditionalFields, ct).ConfigureAwait(false);
                id = stored.ListId;
            }
            if (live != null) await TagsAsync(live.Arn, item.Tags, step.Deployed!.Tags, ct).ConfigureAwait(false);
            return id;
        }

        private async Task TagsAsync(string? arn, IReadOnlyDictionary<string, string> want, IReadOnlyDictionary<string, string> have, CancellationToken ct)
        {
            if (string.IsNullOrEmpty(arn)) return;
            var tags = new TagService(_context);
            var set = want.Where(t => !have.TryGetValue(t.Key, out var v) || v != t.Value).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            var remove = have.Keys.Where(k => !want.ContainsKey(k)).ToList();
            if (set.Count > 0) await tags.SetTagsAsync(arn!, set, ct).ConfigureAwait(false);
            if (remove.Count > 0) await tags.RemoveTagsAsync(arn!, remove, ct).ConfigureAwait(false);
        }
    }
}
