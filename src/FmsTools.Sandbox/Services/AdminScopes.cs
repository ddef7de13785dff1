using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;

namespace FmsTools.Sandbox.Services
{
    /// <summary>What an FMS administrator may manage: Regions, policy types, accounts and OUs of its scope.</summary>
    internal static class AdminScopes
    {
        public static bool RegionInScope(AdminRecord admin, string region)
        {
            var scope = admin.Scope.RegionScope;
            return scope is null || scope.AllRegionsEnabled != false || (scope.Regions?.Contains(region) ?? false);
        }

        public static bool PolicyTypeInScope(AdminRecord admin, string policyType)
        {
            var scope = admin.Scope.PolicyTypeScope;
            return scope is null || scope.AllPolicyTypesEnabled != false || (scope.PolicyTypes?.Contains(policyType) ?? false);
        }

        /// <summary>Whether an account falls inside an administrator's account and OU scope.</summary>
        public static bool AccountInScope(AdminRecord admin, World.World world, string accountId)
        {
            var accounts = admin.Scope.AccountScope;
            if (accounts != null)
            {
                var listed = accounts.Accounts?.Contains(accountId) ?? false;
                if (accounts.AllAccountsEnabled == true)
                {
                    if (accounts.ExcludeSpecifiedAccounts == true && listed) return false;
                }
                else if (accounts.ExcludeSpecifiedAccounts == true ? listed : !listed)
                {
                    return false;
                }
            }
            var units = admin.Scope.OrganizationalUnitScope;
            if (units != null)
            {
                var inListed = (units.OrganizationalUnits ?? new List<string>()).Any(ou => world.IsAccountUnder(accountId, ou));
                if (units.AllOrganizationalUnitsEnabled == true)
                {
                    if (units.ExcludeSpecifiedOrganizationalUnits == true && inListed) return false;
                }
                else if (units.ExcludeSpecifiedOrganizationalUnits == true ? inListed : !inListed)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The full scope an administrator gets when none is given.</summary>
        public static AdminScope FullScope() => new AdminScope
        {
            AccountScope = new AccountScope { Accounts = new List<string>(), AllAccountsEnabled = true, ExcludeSpecifiedAccounts = false },
            OrganizationalUnitScope = new OrganizationalUnitScope
            {
                OrganizationalUnits = new List<string>(), AllOrganizationalUnitsEnabled = true, ExcludeSpecifiedOrganizationalUnits = false,
            },
            RegionScope = new RegionScope { Regions = new List<string>(), AllRegionsEnabled = true },
            PolicyTypeScope = new PolicyTypeScope { PolicyTypes = new List<string>(), AllPolicyTypesEnabled = true },
        };

        public static AdminScope CompleteScope(AdminScope? given)
        {
            var full = FullScope();
            if (given is null) return full;
            return new AdminScope
            {
                AccountScope = given.AccountScope is null ? full.AccountScope : new AccountScope
                {
                    Accounts = given.AccountScope.Accounts ?? new List<string>(),
                    AllAccountsEnabled = given.AccountScope.AllAccountsEnabled ?? false,
                    ExcludeSpecifiedAccounts = given.AccountScope.ExcludeSpecifiedAccounts ?? false,
                },
                OrganizationalUnitScope = given.OrganizationalUnitScope is null ? full.OrganizationalUnitScope : new OrganizationalUnitScope
                {
                    OrganizationalUnits = given.OrganizationalUnitScope.OrganizationalUnits ?? new List<string>(),
                    AllOrganizationalUnitsEnabled = given.OrganizationalUnitScope.AllOrganizationalUnitsEnabled ?? false,
                    ExcludeSpecifiedOrganizationalUnits = given.OrganizationalUnitScope.ExcludeSpecifiedOrganizationalUnits ?? false,
                },
                RegionScope = given.RegionScope is null ? full.RegionScope : new RegionScope
                {
                    Regions = given.RegionScope.Regions ?? new List<string>(),
                    AllRegionsEnabled = given.RegionScope.AllRegionsEnabled ?? false,
                },
                PolicyTypeScope = given.PolicyTypeScope is null ? full.PolicyTypeScope : new PolicyTypeScope
                {
                    PolicyTypes = given.PolicyTypeScope.PolicyTypes ?? new List<string>(),
                    AllPolicyTypesEnabled = given.PolicyTypeScope.AllPolicyTypesEnabled ?? false,
                },
            };
        }
    }
}
