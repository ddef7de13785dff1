using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;

namespace FmsTools.Bench
{
    /// <summary>
    /// What a complete report of one region must read, listed once with the plain client before anything is timed: the
    /// minimum calls (ListPolicies pages, one ListComplianceStatus page per 100 accounts of each policy, one
    /// GetComplianceDetail per non-compliant account) and the rate bound those calls have under per-operation limits.
    /// </summary>
    internal sealed class OrganizationFacts
    {
        public int Policies;
        public int ListPoliciesPages;
        public long ListStatusPages;
        public long Rows;
        public long NonCompliantRows;

        public long MinimumCalls => ListPoliciesPages + ListStatusPages + NonCompliantRows;

        /// <summary>Seconds the slower of ListComplianceStatus and GetComplianceDetail needs at <paramref name="rate"/> after its burst.</summary>
        public double RateBound(double rate, int burst) => Math.Max(Math.Max(0, ListStatusPages - burst), Math.Max(0, NonCompliantRows - burst)) / rate;

        public override string ToString() =>
            $"{Rows:N0} rows ({NonCompliantRows:N0} non-compliant) of {Policies} policies; minimum {ListPoliciesPages} ListPolicies + {ListStatusPages:N0} ListComplianceStatus "
            + $"+ {NonCompliantRows:N0} GetComplianceDetail = {MinimumCalls:N0} calls";

        public static async Task<OrganizationFacts> ReadAsync(SandboxProcess sandbox, string region, CancellationToken cancellationToken)
        {
            using var session = sandbox.AdminSession(region, maxAttempts: 10);
            var facts = new OrganizationFacts();
            string? policyToken = null;
            var policyIds = new List<string>();
            do
            {
                var page = await session.Fms.ListPoliciesAsync(new ListPoliciesRequest { NextToken = policyToken }, cancellationToken).ConfigureAwait(false);
                facts.ListPoliciesPages++;
                policyIds.AddRange((page.PolicyList ?? new List<PolicySummary>()).Select(p => p.PolicyId!));
                policyToken = page.NextToken;
            } while (policyToken != null);
            facts.Policies = policyIds.Count;
            foreach (var policyId in policyIds)
            {
                string? token = null;
                long accounts = 0;
                do
                {
                    var page = await session.Fms.ListComplianceStatusAsync(new ListComplianceStatusRequest { PolicyId = policyId, NextToken = token }, cancellationToken)
                        .ConfigureAwait(false);
                    foreach (var status in page.PolicyComplianceStatusList ?? new List<PolicyComplianceStatus>())
                    {
                        accounts++;
                        if (status.EvaluationResults?.Any(r => r.ComplianceStatus == PolicyComplianceStatusTypeValues.NonCompliant) == true) facts.NonCompliantRows++;
                    }
                    token = page.NextToken;
                } while (token != null);
                facts.Rows += accounts;
                facts.ListStatusPages += Math.Max(1, (accounts + 99) / 100);
            }
            return facts;
        }
    }
}
