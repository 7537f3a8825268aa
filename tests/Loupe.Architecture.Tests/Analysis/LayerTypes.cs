using System.Reflection;
using NetArchTest.Rules;

namespace Loupe.Architecture.Tests.Analysis;

/// <summary>The types of an assembly as NetArchTest reads them (through Mono.Cecil, from the file on disk).</summary>
internal static class LayerTypes
{
    /// <summary>
    /// A fresh read each time: Mono.Cecil's lazy reading is not safe across the test classes xunit
    /// runs in parallel. References resolve from the test output folder, which holds every
    /// assembly a layer uses.
    /// </summary>
    public static Types Of(Assembly assembly) => Types.InAssembly(assembly, [AppContext.BaseDirectory]);
}
