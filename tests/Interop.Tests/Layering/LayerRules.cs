using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NPlug.Buffers.Tests.Layering;

/// <summary>
/// The dependency rules of docs/ARCHITECTURE.md, as code the layer tests run against the real sources and
/// assemblies (and against small in-memory samples, to show the detection works).
/// </summary>
internal static partial class LayerRules
{
    /// <summary>The namespace of the ABI layer (and its sub-namespaces, e.g. <c>.Com</c>).</summary>
    public const string AbiNamespace = "NPlug.Buffers.Interop.Abi";

    /// <summary>Namespaces above the ABI layer: nothing in <c>src/Interop/Abi</c> may name them.</summary>
    public static readonly string[] AboveAbi =
    [
        "NPlug.Buffers.Interop.Api",
        "NPlug.Buffers.Interop.Bridge",
        "NPlug.Buffers.Interop.Framework",
        "NPlug.Buffers.Hosting",
        "NPlug.Buffers.Plugin",
    ];

    /// <summary>Assemblies above Core (the plugin assembly is called plain <c>NPlug.Buffers</c>).</summary>
    public static readonly string[] AboveCoreAssemblies =
        ["NPlug.Buffers.Interop", "NPlug.Buffers.Hosting", "NPlug.Buffers.Plugin", "NPlug.Buffers"];

    /// <summary>Walks up from the test binaries to the folder holding NPlug.Buffers.sln.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NPlug.Buffers.sln"))) return dir.FullName;
        throw new InvalidOperationException($"NPlug.Buffers.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>The C# sources below <paramref name="folder"/>, without build output.</summary>
    public static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// Every place in <paramref name="source"/> that names one of <paramref name="forbidden"/>, as
    /// <c>line: text</c>. Counts using directives (plain, static, alias, global), fully and partially qualified
    /// names (<c>Api.X</c> inside <c>NPlug.Buffers.Interop.Abi</c> resolves to <c>NPlug.Buffers.Interop.Api.X</c>),
    /// <c>global::</c> names and doc-comment <c>cref</c>s; ignores other comments and string literals.
    /// </summary>
    public static IReadOnlyList<string> FindReferences(string source, string fromNamespace, IEnumerable<string> forbidden)
    {
        string code = StripCommentsAndStrings(source);
        var hits = new List<string>();
        foreach (var ns in forbidden)
        {
            var pattern = new Regex(NamePattern(ns, fromNamespace), RegexOptions.CultureInvariant);
            foreach (Match m in pattern.Matches(code))
            {
                int line = 1 + code.AsSpan(0, m.Index).Count('\n');
                hits.Add($"{line}: {m.Value.Trim()} ({ns})");
            }
        }
        return hits;
    }

    /// <summary>
    /// Matches <paramref name="ns"/> written in full or by any suffix that name lookup from
    /// <paramref name="fromNamespace"/> would resolve to it: in a using directive, or followed by <c>.</c> or (a cref) <c>"</c>.
    /// </summary>
    private static string NamePattern(string ns, string fromNamespace)
    {
        var target = ns.Split('.');
        var from = fromNamespace.Split('.');
        int common = 0;
        while (common < target.Length - 1 && common < from.Length && target[common] == from[common]) common++;
        // Optional leading segments: any of target[0..common) may be omitted from the left.
        var optional = new StringBuilder();
        for (int i = 0; i < common; i++) optional.Append("(?:");
        for (int i = 0; i < common; i++) optional.Append(Regex.Escape(target[i])).Append(@"\s*\.\s*)?");
        string rest = string.Join(@"\s*\.\s*", target[common..].Select(Regex.Escape));
        string name = $@"(?:global\s*::\s*)?{optional}{rest}";
        // A using directive ends the name with ';' (plain, static, alias); anywhere else a qualified name goes on with
        // '.' (a member or nested namespace) or, in a kept cref, ends with '"'. A field that merely shares the last
        // segment's name (`int Plugin;`) is neither.
        return $@"(?<![\w.])using\s+(?:static\s+)?(?:\w+\s*=\s*)?{name}\s*;|(?<![\w.]){name}(?=\s*[.""])";
    }

    /// <summary>Blanks out comments and literals (keeping line breaks and doc-comment crefs).</summary>
    public static string StripCommentsAndStrings(string s)
    {
        var o = new StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                int end = s.IndexOf('\n', i);
                if (end < 0) end = s.Length;
                o.Append(Crefs(s[i..end]));
                i = end;
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                o.Append(Crefs(s[i..end]));
                i = end;
            }
            else if (c == '"' && i + 2 < s.Length && s[i + 1] == '"' && s[i + 2] == '"')
            {
                int quotes = 0;
                while (i + quotes < s.Length && s[i + quotes] == '"') quotes++;
                int end = s.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + quotes;
                o.Append(Blank(s[i..end]));
                i = end;
            }
            else if (c == '"' || c == '\'')
            {
                bool verbatim = i > 0 && (s[i - 1] == '@' || (s[i - 1] == '$' && i > 1 && s[i - 2] == '@'));
                int j = i + 1;
                while (j < s.Length)
                {
                    if (!verbatim && s[j] == '\\') { j += 2; continue; }
                    if (s[j] == c)
                    {
                        if (verbatim && j + 1 < s.Length && s[j + 1] == c) { j += 2; continue; }
                        break;
                    }
                    if (!verbatim && s[j] == '\n') break;
                    j++;
                }
                int end = Math.Min(j + 1, s.Length);
                o.Append(Blank(s[i..end]));
                i = end;
            }
            else
            {
                o.Append(c);
                i++;
            }
        }
        return o.ToString();
    }

    private static string Blank(string text) => new(text.Select(ch => ch == '\n' ? '\n' : ' ').ToArray());

    /// <summary>A comment reduced to its crefs (each written as code followed by <c>"</c>), line breaks kept.</summary>
    private static string Crefs(string comment)
    {
        var kept = new StringBuilder(Blank(comment));
        foreach (Match m in CrefPattern().Matches(comment))
        {
            var value = m.Groups[1];
            for (int k = 0; k < value.Length; k++) kept[value.Index + k] = comment[value.Index + k];
            kept[value.Index + value.Length] = '"';
        }
        return kept.ToString();
    }

    [GeneratedRegex(@"cref\s*=\s*""([^""]*)""")]
    private static partial Regex CrefPattern();

    /// <summary>The <c>Include</c> of every ProjectReference in a project file.</summary>
    public static IReadOnlyList<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include") ?? string.Empty)
            .ToList();

    /// <summary>Names of the referenced assemblies of <paramref name="assembly"/> that are in <paramref name="forbidden"/>.</summary>
    public static IReadOnlyList<string> ForbiddenReferences(Assembly assembly, IEnumerable<string> forbidden)
    {
        var set = forbidden.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).Where(set.Contains).ToList();
    }

    /// <summary>
    /// The compiled view of the ABI rule: every type of the ABI namespaces, and every base type, interface,
    /// field, property, event and method signature in them, must come from outside the forbidden namespaces.
    /// Catches what a text scan cannot see (e.g. a <c>global using</c> elsewhere in the project).
    /// </summary>
    public static IReadOnlyList<string> ForbiddenSignatureTypes(Assembly assembly, string layerNamespace, IReadOnlyList<string> forbidden)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var hits = new List<string>();
        foreach (var type in assembly.GetTypes().Where(t => InNamespace(t.Namespace, layerNamespace)))
        {
            void Check(Type? used, string where)
            {
                foreach (var t in Flatten(used))
                    if (forbidden.Any(ns => InNamespace(t.Namespace, ns))) hits.Add($"{type.FullName}.{where}: {t.FullName}");
            }
            Check(type.BaseType, "base");
            foreach (var i in type.GetInterfaces()) Check(i, "interface");
            foreach (var f in type.GetFields(All)) Check(f.FieldType, f.Name);
            foreach (var p in type.GetProperties(All)) Check(p.PropertyType, p.Name);
            foreach (var e in type.GetEvents(All)) Check(e.EventHandlerType, e.Name);
            foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (m is MethodInfo mi) Check(mi.ReturnType, m.Name);
                foreach (var p in m.GetParameters()) Check(p.ParameterType, $"{m.Name}({p.Name})");
            }
        }
        return hits;
    }

    private static bool InNamespace(string? ns, string root) =>
        ns is not null && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal));

    private static IEnumerable<Type> Flatten(Type? t)
    {
        if (t is null) yield break;
        if (t.IsFunctionPointer)
        {
            foreach (var x in Flatten(t.GetFunctionPointerReturnType())) yield return x;
            foreach (var p in t.GetFunctionPointerParameterTypes())
                foreach (var x in Flatten(p)) yield return x;
            yield break;
        }
        if (t.HasElementType)
        {
            foreach (var x in Flatten(t.GetElementType())) yield return x;
            yield break;
        }
        yield return t;
        if (t.IsGenericType && !t.IsGenericTypeDefinition)
            foreach (var a in t.GetGenericArguments())
                foreach (var x in Flatten(a)) yield return x;
    }
}
