# Views of the policy cmdlets' output types; exec'd by generate_format.py, which owns VIEWS, SHORT_ARN and ACCOUNT.
# Widths are for an 80-character console (see generate_format.py): the last column takes the rest.
P = "FmsTools.Engine.Policies."
O = "FmsTools.Engine.PolicyOperations."
VIEWS.update({
    P + "FmsPolicy": ([("Name", "Name", 22), ("Type", "TypeName", 29), ("Remediate", "RemediationEnabled", 9),
                       ("ResourceTypes", "{ if ($_.ResourceTypes.Count) { ($_.ResourceTypes | ForEach-Object { $_ -replace '^AWS::', '' }) -join [Environment]::NewLine }"
                                         " elseif (-not $_.IsDetailed) { '(-Detailed)' } }", 0)],
                      ["Name", "PolicyId", "TypeName", "Arn", "Region", "Description", "ResourceTypes", "ScopeSummary", "Scope",
                       "RemediationEnabled", "DeleteUnusedFMManagedResources", "Status", "IsDetailed", "Settings", "PolicyOption",
                       "Tags", "UpdateToken"]),
    P + "PolicyFinding": ([("Severity", "Severity", 8), ("Field", "Field", 18), ("Message", "Message", 0)],
                          ["Severity", "Rule", "Field", "Message"]),
    O + "FmsPolicyDifference": ([("Policy", "PolicyName", 22), ("Kind", "Kind", 7), ("Path", "Path", 22),
                                 ("Change", "{ $(if ($null -ne $_.DeployedValue) { $_.DeployedValue } else { '(none)' }) + ' -> ' +"
                                            " $(if ($null -ne $_.DesiredValue) { $_.DesiredValue } else { '(none)' }) }", 0)],
                                ["PolicyName", "PolicyId", "Path", "Kind", "DeployedValue", "DesiredValue", "Note"]),
    O + "FmsPolicyComparison": ([("Policy", "PolicyName", 24), ("Status", "Status", 11), ("Differences", "DifferenceCount", 11),
                                 ("Paths", "DifferenceSummary", 0)],
                                ["PolicyName", "PolicyId", "PolicyType", "Status", "DifferenceCount", "DifferenceSummary", "Differences"]),
    O + "PolicyFileInfo": ([("LastWriteTime", "{ $_.LastWriteTime.ToString('yyyy-MM-dd HH:mm') }", 16), ("Length", "Length", 7), ("Name", "Name", 0)],
                           ["Name", "FullName", "Length", "LastWriteTime", "PolicyName", "PolicyId", "PolicyType", "Overwritten"]),
    O + "PolicySyncResult": ([("Action", "Action", 9), ("Status", "Status", 10), ("Differences", "DifferenceCount", 11), ("Name", "Name", 0)],
                             ["Action", "Status", "Name", "PolicyId", "PolicyType", "DifferenceCount", "Differences", "Message"]),
})

# Views of the compliance cmdlets' output types.
CO = "FmsTools.Engine.Compliance."
RE = "FmsTools.Engine.Reports."
RM = "FmsTools.Engine.Remediation."
CS = "FmsTools.Commands.ComplianceSupport."
# A row's reasons one per line, the most frequent first, at most three (the list view's ReasonSummary has them all); the
# count beside a reason only when there are several (Violators has the total).
REASONS = ("{ $n = $_.ViolationsByReason.Count; $r = @($_.ViolationsByReason.GetEnumerator() |"
           " Sort-Object -Property @{ Expression = 'Value'; Descending = $true }, Key |"
           " ForEach-Object { if ($n -gt 1) { '{0}={1}' -f $_.Key, $_.Value } else { $_.Key } });"
           " if ($r.Count -gt 3) { $r = $r[0..2] + ('+{0} more' -f ($r.Count - 3)) }; $r -join [Environment]::NewLine }")
VIEWS.update({
    CO + "FmsComplianceStatus": ([("Policy", "PolicyName", 22), ("Account", ACCOUNT, 15), ("Status", "Status", 12), ("Violators", "ViolatorCount", 9),
                                  ("Reasons", REASONS, 0)],
                                 ["PolicyName", "PolicyId", "PolicyType", "Region", "IsGlobal", "AccountId", "AccountName", "OrganizationalUnitPath",
                                  "Status", "ViolatorCount", "ReasonSummary", "EvaluationLimitExceeded", "LastUpdated", "ExpiredAt", "IssueSummary",
                                  "DetailRetrieved", "PolicyOwner"]),
    CO + "FmsViolation": ([("Account", ACCOUNT, 15), ("Reason", "Reason", 34), ("Resource", "{ $_.ResourceId " + SHORT_ARN + " }", 0)],
                          ["PolicyName", "PolicyId", "PolicyType", "Region", "AccountId", "AccountName", "ResourceId", "ResourceType", "Reason",
                           "ReasonDescription", "ResourceDescription", "Details", "PossibleRemediationActions", "DefaultRemediation", "ResourceTags",
                           "Metadata", "IsEnriched"]),
    CO + "FmsViolationDetail": ([("Target", "{ $_.Target " + SHORT_ARN + " }", 24), ("Description", "Description", 0)],
                                ["Kind", "Target", "Description", "VpcId", "RouteTableId", "ViolatingRoutes", "ExpectedRoutes"]),
    CO + "FmsRoute": ([("Destination", "Destination", 20), ("Target", "Target", 24), ("TargetType", "TargetType", 18),
                       ("DestinationType", "DestinationType", 0)], None),
    CO + "FmsExpectedRoute": ([("Destination", "Destination", 18), ("RouteTable", "RouteTableId", 22),
                               ("AllowedTargets", "{ $_.AllowedTargets -join ', ' }", 0)],
                              ["Destination", "AllowedTargets", "RouteTableId", "ContributingSubnets"]),
    CO + "FmsRemediationOption": ([("Default", "IsDefaultAction", 7), ("Steps", "{ ($_.Actions | ForEach-Object { $_.ActionType }) -join [Environment]::NewLine }", 28),
                                   ("Description", "Description", 0)],
                                  ["Description", "IsDefaultAction", "FMSCanRemediate", "Actions"]),
    CO + "FmsRemediationActionStep": ([("Order", "Order", 5), ("Action", "ActionType", 37), ("Description", "Description", 0)],
                                      ["Order", "ActionType", "TargetResourceId", "FMSCanRemediate", "Description"]),
    RE + "ComplianceReport": ([("Generated", "{ $_.GeneratedAt.ToString('yyyy-MM-dd HH:mm') + 'Z' }", 17),
                               ("Policies", "{ $_.Summary.Policies }", 8), ("Accounts", "{ $_.Summary.Accounts }", 8),
                               ("NonCompliant", "{ $_.Summary.NonCompliantAccounts }", 12), ("Violators", "{ $_.Summary.NonCompliantResources }", 9),
                               ("Compliance", "{ '{0:0.0}%' -f $_.Summary.CompliancePercent }", 0)],
                              ["GeneratedAt", "Regions", "Summary", "PolicyRows", "AccountRows", "RowCount", "CallsByOperation"]),
    RM + "RemediationResult": ([("Outcome", "Outcome", 17), ("Resource", "{ $_.ResourceId " + SHORT_ARN + " }", 24),
                                ("Action", "{ ($_.Action -split ', ') -join [Environment]::NewLine }", 0)],
                               ["Outcome", "Message", "PolicyName", "PolicyId", "Region", "AccountId", "ResourceId", "ResourceType", "Action",
                                "MissingCapability", "AwsCliCommand", "PowerShellCommand", "Step", "Error"]),
    CS + "ComplianceReportFile": ([("Format", "Format", 6), ("Length", "Length", 8), ("Rows", "Rows", 6), ("NonCompliant", "NonCompliantRows", 12),
                                   ("Name", "Name", 0)],
                                  ["Name", "FullName", "Format", "Length", "LastWriteTime", "Rows", "NonCompliantRows", "Violators", "Overwritten"]),
    CS + "FmsComplianceTestResult": ([("IsCompliant", "IsCompliant", 11), ("Policies", "Policies", 8), ("Accounts", "Accounts", 8),
                                      ("Evaluations", "Evaluations", 11), ("NonCompliant", "{ $_.NonCompliant.Count }", 12),
                                      ("Violators", "ViolatorCount", 0)],
                                     ["IsCompliant", "Summary", "Policies", "Accounts", "Evaluations", "NonCompliant", "Unknown", "Violations",
                                      "ViolatorCount"]),
})

# Views of the change history cmdlets' output types.
HI = "FmsTools.Engine.History."
VIEWS.update({
    HI + "FmsChangeEntry": ([("Time", "{ $_.Time.ToString('yyyy-MM-dd HH:mm') + 'Z' }", 17), ("Operation", "Operation", 22),
                             ("Version", "Version", 7), ("Outcome", "Outcome", 9),
                             ("Target", "{ if ($_.TargetName) { $_.TargetName } else { $_.TargetId } }", 0)],
                            ["Id", "Time", "Operation", "Outcome", "Error", "TargetType", "TargetId", "TargetName", "PolicyType", "Region", "Account",
                             "CallerArn", "Version", "RequestId"]),
    HI + "FmsComplianceChange": ([("Transition", "Transition", 20), ("Policy", "PolicyName", 22), ("Account", ACCOUNT, 15),
                                  ("Resource", "{ $_.ResourceId " + SHORT_ARN + " }", 0)],
                                 ["Time", "PreviousTime", "Transition", "PolicyName", "PolicyId", "Region", "AccountId", "AccountName",
                                  "PreviousStatus", "Status", "ResourceId", "ResourceType", "Reason"]),
})

# Views of the cost estimate: the monthly figure per row and what it is made of; the assumptions are in the list view.
CT = "FmsTools.Engine.Cost."
VIEWS.update({
    CT + "FmsCostEstimate": ([("Level", "Level", 7), ("Policy", "PolicyName", 22), ("Account", "AccountId", 12),
                              ("Monthly", "{ '{0:N2} {1}' -f $_.MonthlyTotal, $_.Currency }", 12),
                              ("Breakdown", "{ @(@(('FMS', $_.FmsPolicyFee), ('Config', $_.ConfigEvaluations), ('WAF', $_.Waf), ('Shield', $_.ShieldAdvanced),"
                                            " ('NetFirewall', $_.NetworkFirewall)) | Where-Object { $_[1] -ne 0 } | ForEach-Object { '{0} {1:N2}' -f $_[0], $_[1] }) -join [Environment]::NewLine }", 0)],
                             ["Level", "PolicyName", "PolicyId", "PolicyType", "Region", "AccountId", "Accounts", "AccountSource", "FmsPolicyFee",
                              "ConfigEvaluations", "Waf", "ShieldAdvanced", "NetworkFirewall", "MonthlyTotal", "Currency", "Assumptions", "PriceTable"]),
})
