using FmsTools.Engine.Compliance;
using FmsTools.Engine.Compliance.Exceptions;

namespace FmsTools.Commands.ComplianceSupport
{
    /// <summary>
    /// Shared by Test-FmsCompliance and Assert-FmsCompliance: evaluates policies (piped FmsPolicy objects, names or
    /// ids; every policy of the region by default) or piped compliance rows, and builds one piece of evidence over
    /// the whole input.
    /// </summary>
    public abstract class FmsComplianceCheckCmdlet : FmsPolicySelectionCmdlet
    {
        protected const string ByStatus = "ByStatus";

        /// <summary>Rows already read (Get-FmsComplianceStatus, Get-FmsComplianceReport); non-compliant rows without violators are drilled into.</summary>
        [Parameter(ParameterSetName = ByStatus, Mandatory = true, ValueFromPipeline = true)]
        public FmsComplianceStatus[]? InputObject { get; set; }

        [ValidateFmsId(IdentifierKind.PolicyId)]
        [Parameter(ParameterSetName = ById, Mandatory = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyIdCompleter))]
        public string[]? PolicyId { get; set; }

        protected override string[]? PolicyIds => PolicyId;

        /// <summary>
        /// A JSON file of accepted violations (Data/fms-exceptions.schema.json): violations an unexpired entry matches
        /// are Excepted and do not fail the check. Defaults to $global:FmsExceptionPath; '' turns the default off.
        /// </summary>
        [Parameter]
        public string? ExceptionPath { get; set; }

        private ComplianceExceptionSet? _exceptions;

        protected override void BeginCore()
        {
            base.BeginCore();
            _exceptions = ComplianceExceptionLoader.Load(this, ExceptionPath);
        }

        private readonly List<FmsComplianceStatus> _rows = new List<FmsComplianceStatus>();

        /// <summary>Inputs that could not be evaluated (written as errors): the evidence is then incomplete.</summary>
        protected int FailedInputs { get; private set; }

        protected override void ProcessCore()
        {
            var query = new ComplianceQuery { AccountIds = Accounts, IncludeViolators = true };
            if (InputObject != null)
            {
                foreach (var row in InputObject.Where(r => r != null && (query.AccountIds == null || query.AccountIds.Contains(r.AccountId))))
                    Count(TryItem(row, () => AddRow(row)));
                return;
            }
            ForEachPolicy(policy => Evaluate(policy, query), Count);
        }

        /// <summary>The evidence over everything evaluated so far.</summary>
        protected FmsComplianceTestResult Evidence()
        {
            if (_exceptions != null) foreach (var row in _rows) _exceptions.Apply(row);
            var result = new FmsComplianceTestResult(_rows.ToList(), _exceptions);
            ComplianceExceptionLoader.WarnAbout(this, _exceptions);
            if (result.Evaluations == 0 && FailedInputs == 0)
                WriteWarning("No policy × account was evaluated (no matching policy, or no account in any policy's scope).");
            if (result.Unknown.Count > 0)
                WriteWarning($"{result.Unknown.Count} policy × account evaluations are not available yet (FMS is still evaluating): "
                                         + string.Join(", ", result.Unknown.Take(5).Select(r => r.PolicyName + "/" + r.AccountId)) + (result.Unknown.Count > 5 ? ", ..." : "") + ".");
            return result;
        }

        private void Count(bool succeeded)
        {
            if (!succeeded) FailedInputs++;
        }

        private void Evaluate(PolicyReference policy, ComplianceQuery query)
        {
            var service = ServiceFor(policy.Region);
            RunStream(ct => service.GetComplianceStatusAsync(policy, query, ct), _rows.Add);
        }

        private void AddRow(FmsComplianceStatus row)
        {
            if (row.StatusValue == FmsComplianceState.NonCompliant && !row.DetailRetrieved)
            {
                var service = ServiceFor(row.Region);
                Run(async ct =>
                {
                    await service.AddDetailAsync(row, ct).ConfigureAwait(false);
                    return true;
                });
            }
            _rows.Add(row);
        }
    }
}
