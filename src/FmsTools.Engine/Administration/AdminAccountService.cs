using System.Runtime.CompilerServices;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Administration
{
    /// <summary>Firewall Manager administrators: the default one, and administrators limited to a scope.</summary>
    public sealed class AdminAccountService
    {
        private readonly AdministrationContext _context;

        public AdminAccountService(AdministrationContext context)
        {
            _context = context;
        }

        private IFmsClient Fms => _context.Fms;

        /// <summary>The default administrator (GetAdminAccount); null when none is associated.</summary>
        public async Task<FmsAdminAccount?> GetDefaultAdminAsync(CancellationToken ct)
        {
            try
            {
                var r = await Fms.GetAdminAccountAsync(new GetAdminAccountRequest(), ct).ConfigureAwait(false);
                return new FmsAdminAccount { AccountId = r.AdminAccount ?? "", Status = r.RoleStatus, IsDefaultAdmin = true };
            }
            catch (AwsServiceException e) when (e.ErrorCode == "ResourceNotFoundException")
            {
                return null;
            }
        }

        /// <summary>Every administrator of the organization with its scope (management account only).</summary>
        public async IAsyncEnumerable<FmsAdminAccount> GetAdminAccountsAsync(bool includeScope, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var a in Fms.ListAdminAccountsForOrganizationItemsAsync(new ListAdminAccountsForOrganizationRequest { MaxResults = 100 }, ct).ConfigureAwait(false))
            {
                var admin = new FmsAdminAccount { AccountId = a.AdminAccount ?? "", Status = a.Status, IsDefaultAdmin = a.DefaultAdmin ?? false };
                AdditionalMembers.Copy(a.AdditionalMembers, admin.AdditionalFields);
                if (includeScope && a.AdminAccount != null)
                    admin.Scope = await GetAdminScopeAsync(a.AdminAccount, ct).ConfigureAwait(false);
                yield return admin;
            }
        }

        public async Task<FmsAdminScope?> GetAdminScopeAsync(string adminAccountId, CancellationToken ct)
        {
            var r = await Fms.GetAdminScopeAsync(new GetAdminScopeRequest { AdminAccount = adminAccountId }, ct).ConfigureAwait(false);
            return r.AdminScope == null ? null : ToScope(r.AdminScope);
        }

        /// <summary>
        /// Makes <paramref name="accountId"/> an administrator: the default one (no scope) or a scoped one. A scoped one's
        /// newer-API members (unknown to this version) go back with the scope: PutAdminAccount replaces the whole scope, so
        /// an existing administrator's current scope is read first and its members are sent; a new one gets those
        /// <paramref name="scope"/> carries (a file's, or none).
        /// </summary>
        public async Task<FmsAdminAccount> SetAdminAccountAsync(string accountId, FmsAdminScope? scope, CancellationToken ct)
        {
            if (scope == null) return await SetAdminAccountAsync(accountId, null, null, null, ct).ConfigureAwait(false);
            Validate(accountId, scope);
            var current = await AdministrationContext.TryReadAsync(c => GetAdminScopeAsync(accountId, c), ct).ConfigureAwait(false);
            return await SetAdminAccountAsync(accountId, scope, current, current != null ? current.AdditionalFields : scope.AdditionalFields, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Makes <paramref name="accountId"/> an administrator, sending <paramref name="additionalFields"/> (kept as
        /// <see cref="FmsAdminScope"/> keeps them; may be null) as the scope's newer-API members beside its known fields, never
        /// in place of one. <paramref name="deployed"/>: the administrator's scope as read before (null: none), for the journal.
        /// </summary>
        internal async Task<FmsAdminAccount> SetAdminAccountAsync(string accountId, FmsAdminScope? scope, FmsAdminScope? deployed,
            IDictionary<string, System.Text.Json.Nodes.JsonNode?>? additionalFields, CancellationToken ct)
        {
            Validate(accountId, scope);
            if (scope == null)
            {
                // The setting that changes is which account is the default administrator: before is the one there was.
                var defaultChange = _context.Change(ChangeTargetType.AdminAccount, ChangeOperations.AssociateAdminAccount, accountId);
                if (defaultChange != null)
                {
                    defaultChange.BeforeDocument = ChangeDocuments.Write(await _context.BeforeAsync(GetDefaultAdminAsync, ct).ConfigureAwait(false));
                    defaultChange.AfterDocument = ChangeDocuments.Write(new FmsAdminAccount { AccountId = accountId, IsDefaultAdmin = true });
                }
                await _context.SendAsync(defaultChange, c => Fms.AssociateAdminAccountAsync(new AssociateAdminAccountRequest { AdminAccount = accountId }, c), ct).ConfigureAwait(false);
                await _context.CompletedAsync(defaultChange, accountId, null, defaultChange?.AfterDocument, ct).ConfigureAwait(false);
                return await GetDefaultAdminAsync(ct).ConfigureAwait(false) ?? new FmsAdminAccount { AccountId = accountId, IsDefaultAdmin = true };
            }
            var change = _context.Change(ChangeTargetType.AdminAccount, ChangeOperations.PutAdminAccount, accountId);
            if (change != null)
            {
                change.BeforeDocument = ChangeDocuments.Write(deployed == null ? null : new FmsAdminAccount { AccountId = accountId, Scope = deployed });
                change.AfterDocument = ChangeDocuments.Write(new FmsAdminAccount { AccountId = accountId, Scope = scope });
            }
            var request = new PutAdminAccountRequest { AdminAccount = accountId, AdminScope = ToWire(scope, additionalFields) };
            await _context.SendAsync(change, c => Fms.PutAdminAccountAsync(request, c), ct).ConfigureAwait(false);
            await _context.CompletedAsync(change, accountId, null, change?.AfterDocument, ct).ConfigureAwait(false);
            return new FmsAdminAccount { AccountId = accountId, Scope = await GetAdminScopeAsync(accountId, ct).ConfigureAwait(false) };
        }

        /// <summary>Removes the default administrator. FMS deletes the policies that administrator created.</summary>
        public async Task RemoveDefaultAdminAsync(CancellationToken ct)
        {
            var change = _context.Change(ChangeTargetType.AdminAccount, ChangeOperations.DisassociateAdminAccount, null);
            if (change != null)
            {
                var before = await _context.BeforeAsync(GetDefaultAdminAsync, ct).ConfigureAwait(false);
                change.TargetId = before?.AccountId;
                change.BeforeDocument = ChangeDocuments.Write(before);
            }
            await _context.SendAsync(change, c => Fms.DisassociateAdminAccountAsync(new DisassociateAdminAccountRequest(), c), ct).ConfigureAwait(false);
            await _context.CompletedAsync(change, change?.TargetId, null, null, ct).ConfigureAwait(false);
        }

        private static void Validate(string accountId, FmsAdminScope? scope)
        {
            var findings = new List<InputFinding>();
            InputRules.AccountId(findings, "AdminAccount", accountId);
            if (scope != null)
            {
                for (var i = 0; i < scope.Accounts.Count; i++) InputRules.AccountId(findings, $"AdminScope.Accounts[{i}]", scope.Accounts[i]);
                for (var i = 0; i < scope.OrganizationalUnits.Count; i++) InputRules.OrganizationalUnitId(findings, $"AdminScope.OrganizationalUnits[{i}]", scope.OrganizationalUnits[i]);
                foreach (var t in scope.PolicyTypes.Where(t => !SecurityServiceTypeValues.All.Contains(t)))
                    findings.Add(new InputFinding("AdminScope.PolicyTypes", "PolicyType.Unknown", $"AdminScope.PolicyTypes '{t}' is not a policy type ({string.Join(", ", SecurityServiceTypeValues.All)})."));
            }
            InputRules.ThrowIfAny(findings);
        }

        private static FmsAdminScope ToScope(AdminScope s)
        {
            var scope = new FmsAdminScope
            {
                AllAccounts = s.AccountScope?.AllAccountsEnabled ?? true,
                ExcludeSpecifiedAccounts = s.AccountScope?.ExcludeSpecifiedAccounts ?? false,
                Accounts = s.AccountScope?.Accounts ?? new List<string>(),
                AllOrganizationalUnits = s.OrganizationalUnitScope?.AllOrganizationalUnitsEnabled ?? true,
                ExcludeSpecifiedOrganizationalUnits = s.OrganizationalUnitScope?.ExcludeSpecifiedOrganizationalUnits ?? false,
                OrganizationalUnits = s.OrganizationalUnitScope?.OrganizationalUnits ?? new List<string>(),
                AllRegions = s.RegionScope?.AllRegionsEnabled ?? true,
                Regions = s.RegionScope?.Regions ?? new List<string>(),
                AllPolicyTypes = s.PolicyTypeScope?.AllPolicyTypesEnabled ?? true,
                PolicyTypes = s.PolicyTypeScope?.PolicyTypes ?? new List<string>(),
            };
            // Unknown members of the scope at its top, and of each part under the part's wire name (e.g. AccountScope).
            AdditionalMembers.Copy(s.AdditionalMembers, scope.AdditionalFields);
            AdditionalMembers.CopyNested("AccountScope", s.AccountScope?.AdditionalMembers, scope.AdditionalFields);
            AdditionalMembers.CopyNested("OrganizationalUnitScope", s.OrganizationalUnitScope?.AdditionalMembers, scope.AdditionalFields);
            AdditionalMembers.CopyNested("RegionScope", s.RegionScope?.AdditionalMembers, scope.AdditionalFields);
            AdditionalMembers.CopyNested("PolicyTypeScope", s.PolicyTypeScope?.AdditionalMembers, scope.AdditionalFields);
            return scope;
        }

        // A newer API's members go where ToScope kept them: at the scope's top, and each part's under the part's wire name.
        private static AdminScope ToWire(FmsAdminScope s, IDictionary<string, System.Text.Json.Nodes.JsonNode?>? fields) => new AdminScope
        {
            AccountScope = new AccountScope
            {
                AllAccountsEnabled = s.AllAccounts, ExcludeSpecifiedAccounts = s.ExcludeSpecifiedAccounts, Accounts = s.Accounts.ToList(),
                AdditionalMembers = AdditionalMembers.UnknownNested(fields, "AccountScope", typeof(AccountScope)),
            },
            OrganizationalUnitScope = new OrganizationalUnitScope
            {
                AllOrganizationalUnitsEnabled = s.AllOrganizationalUnits,
                ExcludeSpecifiedOrganizationalUnits = s.ExcludeSpecifiedOrganizationalUnits,
                OrganizationalUnits = s.OrganizationalUnits.ToList(),
                AdditionalMembers = AdditionalMembers.UnknownNested(fields, "OrganizationalUnitScope", typeof(OrganizationalUnitScope)),
            },
            RegionScope = new RegionScope
            {
                AllRegionsEnabled = s.AllRegions, Regions = s.Regions.ToList(),
                AdditionalMembers = AdditionalMembers.UnknownNested(fields, "RegionScope", typeof(RegionScope)),
            },
            PolicyTypeScope = new PolicyTypeScope
            {
                AllPolicyTypesEnabled = s.AllPolicyTypes, PolicyTypes = s.PolicyTypes.ToList(),
                AdditionalMembers = AdditionalMembers.UnknownNested(fields, "PolicyTypeScope", typeof(PolicyTypeScope)),
            },
            AdditionalMembers = AdditionalMembers.Unknown(fields, typeof(AdminScope)),
        };
    }
}
