namespace FmsTools.Tests.Contract
{
    /// <summary>The declared producer → consumer pipelines of the module. Add a row with each new pair.</summary>
    public static class PipelineTable
    {
        public static readonly (string Producer, string Consumer)[] Pairs =
        {
            ("Get-FmsAppsList", "Set-FmsAppsList"),
            ("Get-FmsAppsList", "Remove-FmsAppsList"),
            ("Get-FmsAppsList", "Get-FmsTag"),
            ("Get-FmsProtocolsList", "Set-FmsProtocolsList"),
            ("Get-FmsProtocolsList", "Remove-FmsProtocolsList"),
            ("Get-FmsProtocolsList", "Get-FmsTag"),
            ("Get-FmsResourceSet", "Set-FmsResourceSet"),
            ("Get-FmsResourceSet", "Remove-FmsResourceSet"),
            ("Get-FmsResourceSet", "Get-FmsResourceSetResource"),
            ("Get-FmsResourceSet", "Get-FmsTag"),
            ("Get-FmsResourceSetResource", "Remove-FmsResourceSetResource"),
            ("Get-FmsResourceSetResource", "Add-FmsResourceSetResource"),
            ("Get-FmsAdminAccount", "Get-FmsAdminScope"),
            ("Get-FmsTag", "Remove-FmsTag"),
            ("Get-FmsTag", "Set-FmsTag"),
            ("Get-FmsNotificationChannel", "Set-FmsNotificationChannel"),
            ("Start-FmsSandbox", "Connect-Fms"),
            ("Start-FmsSandbox", "Stop-FmsSandbox"),
            ("Start-FmsSandbox", "Get-FmsSandboxRequest"),
        };
    }
}
