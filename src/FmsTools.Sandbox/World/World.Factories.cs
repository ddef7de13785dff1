namespace FmsTools.Sandbox.World
{
    public sealed partial class World
    {
        /// <summary>The built-in demo organization (see <see cref="DemoOrganization"/> for its layout, policies and ground truth).</summary>
        public static World CreateDemo() => DemoOrganization.Create();

        /// <summary>A deterministic organization for scale testing: the same arguments always produce an identical world.</summary>
        /// <param name="accountCount">Member accounts (the management and FMS administrator accounts come on top).</param>
        /// <param name="resourcesPerAccount">Approximate resources per member account, split over us-east-1 and eu-west-1.</param>
        /// <param name="seed">Seed of the id stream.</param>
        public static World Generate(int accountCount, int resourcesPerAccount, int seed) =>
            WorldGenerator.Generate(accountCount, resourcesPerAccount, seed);
    }
}
