using System.Reflection;
using System.Xml.Linq;

namespace Loupe.Architecture.Tests.Rules;

/// <summary>Rules about what an assembly, and the project file that builds it, may reference.</summary>
internal static class AssemblyRules
{
    /// <summary>
    /// Keys of the strong names the .NET runtime's own assemblies are signed with. A name alone is
    /// not enough: a NuGet package may call itself System.Anything.
    /// </summary>
    private static readonly HashSet<string> FrameworkPublicKeyTokens = new(StringComparer.OrdinalIgnoreCase)
    {
        "b03f5f7f11d50a3a",
        "b77a5c561934e089",
        "cc7b13ffcd2ddd51",
        "7cec85d7bea7798e",
    };

    public static bool IsFrameworkAssembly(AssemblyName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var simpleName = name.Name ?? string.Empty;
        var looksLikeFramework = simpleName is "System" or "netstandard" or "mscorlib"
                                 || simpleName.StartsWith("System.", StringComparison.Ordinal);
        var token = Convert.ToHexString(name.GetPublicKeyToken() ?? []);
        return looksLikeFramework && FrameworkPublicKeyTokens.Contains(token);
    }

    /// <summary>Every assembly <paramref name="assembly"/> references is the framework or one of <paramref name="allowed"/>.</summary>
    public static IReadOnlyList<string> ReferencesOnlyFrameworkAnd(Assembly assembly, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return
        [
            .. assembly.GetReferencedAssemblies()
                .Where(r => !IsFrameworkAssembly(r) && !allowed.Contains(r.Name, StringComparer.Ordinal))
                .Select(r => $"{assembly.GetName().Name} references {r.FullName}"),
        ];
    }

    /// <summary>
    /// No referenced assembly is named one of <paramref name="forbidden"/>; a name ending in
    /// <c>*</c> forbids that prefix.
    /// </summary>
    public static IReadOnlyList<string> ReferencesNone(Assembly assembly, params string[] forbidden)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return
        [
            .. assembly.GetReferencedAssemblies()
                .Where(r => MatchesAny(r.Name ?? string.Empty, forbidden))
                .Select(r => $"{assembly.GetName().Name} references {r.FullName}"),
        ];
    }

    /// <summary>The project file declares no project, package, assembly or framework reference at all.</summary>
    public static IReadOnlyList<string> ProjectDeclaresNoReferences(string projectFile) =>
        ProjectDeclaresOnly(projectFile);

    /// <summary>Every reference the project file declares is one of <paramref name="allowed"/> (by project or package name).</summary>
    public static IReadOnlyList<string> ProjectDeclaresOnly(string projectFile, params string[] allowed) =>
    [
        .. DeclaredReferences(projectFile)
            .Where(r => !allowed.Contains(r.Name, StringComparer.Ordinal))
            .Select(r => $"{Path.GetFileName(projectFile)} declares {r.Kind} {r.Name}"),
    ];

    /// <summary>The project file declares no reference matching <paramref name="forbidden"/> (prefixes end in <c>*</c>).</summary>
    public static IReadOnlyList<string> ProjectDeclaresNone(string projectFile, params string[] forbidden) =>
    [
        .. DeclaredReferences(projectFile)
            .Where(r => MatchesAny(r.Name, forbidden))
            .Select(r => $"{Path.GetFileName(projectFile)} declares {r.Kind} {r.Name}"),
    ];

    /// <summary>
    /// The references a project file declares: its items, and the framework an SDK like
    /// Microsoft.NET.Sdk.Web brings in implicitly.
    /// </summary>
    private static IEnumerable<(string Kind, string Name)> DeclaredReferences(string projectFile)
    {
        var project = XDocument.Load(projectFile);
        var root = project.Root ?? throw new InvalidOperationException($"{projectFile} is empty.");

        var sdk = (string?)root.Attribute("Sdk") ?? string.Empty;
        if (sdk.Equals("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("Sdk", "Microsoft.AspNetCore.App");
        }

        foreach (var item in root.Descendants())
        {
            var kind = item.Name.LocalName;
            if (kind is not ("ProjectReference" or "PackageReference" or "Reference" or "FrameworkReference"))
            {
                continue;
            }

            var include = (string?)item.Attribute("Include") ?? (string?)item.Attribute("Update") ?? string.Empty;
            var name = kind == "ProjectReference"
                ? Path.GetFileNameWithoutExtension(include.Replace('\\', Path.DirectorySeparatorChar))
                : include;
            yield return (kind, name);
        }
    }

    private static bool MatchesAny(string name, IEnumerable<string> patterns) =>
        patterns.Any(p => p.EndsWith('*')
            ? name.StartsWith(p[..^1], StringComparison.Ordinal)
            : name.Equals(p, StringComparison.Ordinal));
}
