namespace FmsTools.ContractFixture { internal static class Placeholder { } }
