// A miniature application layout, rooted at Loupe.Architecture.Tests.Samples.FeatureFolders,
// with types in the right and the wrong places.
namespace Loupe.Architecture.Tests.Samples.FeatureFolders
{
    internal sealed class RootMarker;
}

namespace Loupe.Architecture.Tests.Samples.FeatureFolders.Common.Paging
{
    internal sealed class PageRequest;
}

namespace Loupe.Architecture.Tests.Samples.FeatureFolders.Dashboards
{
    internal sealed class DashboardSummary;
}

namespace Loupe.Architecture.Tests.Samples.FeatureFolders.Dashboards.Commands.CreateDashboard
{
    internal sealed class CreateDashboardInput;
}

namespace Loupe.Architecture.Tests.Samples.FeatureFolders.Dashboards.Queries.ListDashboards
{
    internal sealed class ListDashboardsInput;
}

namespace Loupe.Architecture.Tests.Samples.FeatureFolders.Dashboards.Handlers
{
    /// <summary>Broken: a technical folder instead of a use case.</summary>
    internal sealed class MisplacedHandlerSample;
}

namespace Loupe.Architecture.Tests.Samples.FeatureFolders.Dashboards.Commands
{
    /// <summary>Broken: a command with no use-case folder of its own.</summary>
    internal sealed class LooseCommandSample;
}

namespace Loupe.Architecture.Tests.Samples.FeatureFolders.Commands.DoThing
{
    /// <summary>Broken: "Commands" is not a feature.</summary>
    internal sealed class FeaturelessCommandSample;
}
