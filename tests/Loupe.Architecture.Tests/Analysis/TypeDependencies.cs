using System.Reflection;
using System.Runtime.CompilerServices;

namespace Loupe.Architecture.Tests.Analysis;

/// <summary>
/// What one type depends on: every type named in its declaration, its members' signatures, its
/// attributes and its method bodies (including the lambdas, iterators and async state machines
/// the compiler moved into nested types), plus the string literals its code loads.
/// </summary>
internal sealed class TypeDependencies
{
    private TypeDependencies(
        Type subject,
        IReadOnlyDictionary<Type, string> types,
        IReadOnlyList<string> strings,
        IReadOnlyList<string> unresolved)
    {
        Subject = subject;
        Types = types;
        Strings = strings;
        Unresolved = unresolved;
    }

    public Type Subject { get; }

    /// <summary>Each type depended on, with the first place it was seen (for messages).</summary>
    public IReadOnlyDictionary<Type, string> Types { get; }

    /// <summary>String literals loaded by the code (<c>ldstr</c>) and constant string fields.</summary>
    public IReadOnlyList<string> Strings { get; }

    /// <summary>Tokens or signatures that could not be resolved; a rule should not trust a silent gap.</summary>
    public IReadOnlyList<string> Unresolved { get; }

    public static TypeDependencies Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var collector = new Collector();
        collector.CollectType(type);
        return new TypeDependencies(type, collector.Types, collector.Strings, collector.Unresolved);
    }

    /// <summary>
    /// The types a rule should look at: everything in the assembly except compiler-generated
    /// nested types, which <see cref="Of"/> already folds into the type that declared them.
    /// </summary>
    public static IReadOnlyList<Type> ScannableTypes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return [.. assembly.GetTypes().Where(t => !(t.IsNested && IsCompilerGenerated(t)))];
    }

    private static bool IsCompilerGenerated(Type type) =>
        type.Name.Contains('<', StringComparison.Ordinal) || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    private sealed class Collector : IIlVisitor
    {
        private const BindingFlags Declared =
            BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

        private readonly HashSet<Type> _visitedOwners = [];
        private string _site = string.Empty;

        public Dictionary<Type, string> Types { get; } = [];

        public List<string> Strings { get; } = [];

        public List<string> Unresolved { get; } = [];

        public void CollectType(Type type)
        {
            if (!_visitedOwners.Add(type))
            {
                return;
            }

            Guard($"declaration of {type.Name}", () =>
            {
                Add(type.BaseType);
                foreach (var contract in type.GetInterfaces())
                {
                    Add(contract);
                }

                AddGenericParameters(type.IsGenericTypeDefinition ? type.GetGenericArguments() : []);
                AddAttributes(type.GetCustomAttributesData());
            });

            foreach (var field in type.GetFields(Declared))
            {
                Guard($"field {field.Name}", () =>
                {
                    Add(field.FieldType);
                    AddAttributes(field.GetCustomAttributesData());
                    if (field.IsLiteral && field.GetRawConstantValue() is string constant)
                    {
                        Strings.Add(constant);
                    }
                });
            }

            foreach (var property in type.GetProperties(Declared))
            {
                Guard($"property {property.Name}", () =>
                {
                    Add(property.PropertyType);
                    AddAttributes(property.GetCustomAttributesData());
                });
            }

            foreach (var @event in type.GetEvents(Declared))
            {
                Guard($"event {@event.Name}", () => Add(@event.EventHandlerType));
            }

            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                CollectMethod(method);
            }

            foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (IsCompilerGenerated(nested))
                {
                    CollectType(nested);
                }
            }
        }

        public void OnType(Type type) => Add(type);

        public void OnMember(MemberInfo member)
        {
            Add(member.DeclaringType);
            switch (member)
            {
                case FieldInfo field:
                    Add(field.FieldType);
                    break;
                case MethodBase method:
                    AddSignature(method);
                    break;
            }
        }

        public void OnString(string literal) => Strings.Add(literal);

        public void OnUnresolved(MethodBase method, int token, string reason) =>
            Unresolved.Add($"{method.DeclaringType?.FullName}.{method.Name} token 0x{token:X8}: {reason}");

        private void CollectMethod(MethodBase method)
        {
            var site = $"{(method.IsConstructor ? "constructor" : "method")} {method.Name}";
            Guard(site, () =>
            {
                AddSignature(method);
                AddAttributes(method.GetCustomAttributesData());
                if (method is MethodInfo { IsGenericMethodDefinition: true })
                {
                    AddGenericParameters(method.GetGenericArguments());
                }

                var body = method.GetMethodBody();
                foreach (var local in body?.LocalVariables ?? [])
                {
                    Add(local.LocalType);
                }

                foreach (var clause in body?.ExceptionHandlingClauses ?? [])
                {
                    if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
                    {
                        Add(clause.CatchType);
                    }
                }
            });

            var previous = _site;
            _site = $"code of {site}";
            IlScanner.Scan(method, this);
            _site = previous;
        }

        private void AddSignature(MethodBase method)
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }
        }

        private void AddGenericParameters(IEnumerable<Type> parameters)
        {
            foreach (var constraint in parameters.SelectMany(p => p.GetGenericParameterConstraints()))
            {
                Add(constraint);
            }
        }

        private void AddAttributes(IEnumerable<CustomAttributeData> attributes)
        {
            foreach (var attribute in attributes)
            {
                Add(attribute.AttributeType);
                var arguments = attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue));
                foreach (var argument in arguments)
                {
                    Add(argument.Value as Type);
                }
            }
        }

        /// <summary>Records a type, taking apart arrays, pointers, by-refs and constructed generics.</summary>
        private void Add(Type? type)
        {
            if (type is null || type.IsGenericParameter || type.IsFunctionPointer)
            {
                return;
            }

            if (type.HasElementType)
            {
                Add(type.GetElementType());
                return;
            }

            if (type.IsConstructedGenericType)
            {
                Add(type.GetGenericTypeDefinition());
                foreach (var argument in type.GetGenericArguments())
                {
                    Add(argument);
                }

                return;
            }

            Types.TryAdd(type, _site.Length == 0 ? "declaration" : _site);
        }

        private void Guard(string site, Action collect)
        {
            var previous = _site;
            _site = site;
            try
            {
                collect();
            }
            catch (Exception e) when (e is TypeLoadException or FileNotFoundException or FileLoadException
                                          or BadImageFormatException or NotSupportedException)
            {
                Unresolved.Add($"{site}: {e.Message}");
            }
            finally
            {
                _site = previous;
            }
        }
    }
}
