using Mono.Cecil;

namespace Webhooks.Tests.Architecture;

/// <summary>
/// Which namespaces of an assembly use which, read from its IL: base types, interfaces, fields,
/// properties, signatures, attributes and every type, method and field a method body touches
/// (lambdas and async state machines included, as the nested types they compile to). A using
/// line that is not needed counts for nothing here; a fully qualified name counts.
/// </summary>
public static class FolderDependencies
{
    /// <summary>Every (from, to) pair of distinct namespaces under <paramref name="root"/> where a type of the first uses a type of the second.</summary>
    public static IReadOnlySet<(string From, string To)> Read(string assemblyPath, string root)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var edges = new HashSet<(string, string)>();
        foreach (var type in module.GetTypes())
        {
            var from = NamespaceOf(type);
            if (!Under(from, root))
            {
                continue;
            }
            foreach (var used in Uses(type))
            {
                var to = NamespaceOf(used);
                if (to != from && Under(to, root))
                {
                    edges.Add((from, to));
                }
            }
        }
        return edges;
    }

    /// <summary>The namespaces under <paramref name="root"/> that the assembly's types live in.</summary>
    public static IReadOnlySet<string> Namespaces(string assemblyPath, string root)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        return module.GetTypes().Select(NamespaceOf).Where(n => Under(n, root)).ToHashSet(StringComparer.Ordinal);
    }

    // The root namespace itself counts too: a type there could carry a dependency no folder shows.
    private static bool Under(string ns, string root) => ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

    /// <summary>A nested type (a lambda's closure, a state machine) belongs to its outermost type's namespace.</summary>
    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        return type.Namespace;
    }

    private static List<TypeReference> Uses(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        var seenParameters = new HashSet<GenericParameter>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Add(argument);
                    }
                    return;
                case TypeSpecification spec:
                    Add(spec.ElementType);
                    return;
                case GenericParameter parameter:
                    // A generic parameter's constraints are uses too (where T : SomeType).
                    if (seenParameters.Add(parameter))
                    {
                        foreach (var constraint in parameter.Constraints)
                        {
                            Add(constraint.ConstraintType);
                        }
                        AddAttributes(parameter);
                    }
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }
        void AddMethod(MethodReference m)
        {
            Add(m.DeclaringType);
            Add(m.ReturnType);
            foreach (var p in m.Parameters)
            {
                Add(p.ParameterType);
            }
            foreach (var parameter in m.GenericParameters)
            {
                Add(parameter);
            }
            if (m is GenericInstanceMethod generic)
            {
                foreach (var argument in generic.GenericArguments)
                {
                    Add(argument);
                }
            }
        }
        void AddAttributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                AddMethod(attribute.Constructor);
                foreach (var argument in attribute.ConstructorArguments.Concat(attribute.Properties.Select(p => p.Argument)).Concat(attribute.Fields.Select(f => f.Argument)))
                {
                    AddArgument(argument);
                }
            }
        }

        // typeof(...) in an attribute's argument, also boxed as object or inside an array.
        void AddArgument(CustomAttributeArgument argument)
        {
            Add(argument.Type);
            switch (argument.Value)
            {
                case TypeReference t:
                    Add(t);
                    break;
                case CustomAttributeArgument boxed:
                    AddArgument(boxed);
                    break;
                case CustomAttributeArgument[] items:
                    foreach (var item in items)
                    {
                        AddArgument(item);
                    }
                    break;
            }
        }

        Add(type.BaseType);
        foreach (var parameter in type.GenericParameters)
        {
            Add(parameter);
        }
        AddAttributes(type);
        foreach (var implemented in type.Interfaces)
        {
            Add(implemented.InterfaceType);
        }
        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field);
        }
        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property);
        }
        foreach (var method in type.Methods)
        {
            AddMethod(method);
            AddAttributes(method);
            AddAttributes(method.MethodReturnType);
            foreach (var parameter in method.Parameters)
            {
                AddAttributes(parameter);
            }
            if (!method.HasBody)
            {
                continue;
            }
            foreach (var local in method.Body.Variables)
            {
                Add(local.VariableType);
            }
            foreach (var handler in method.Body.ExceptionHandlers)
            {
                Add(handler.CatchType);
            }
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Add(t);
                        break;
                    case MethodReference m:
                        AddMethod(m);
                        break;
                    case FieldReference f:
                        Add(f.DeclaringType);
                        Add(f.FieldType);
                        break;
                }
            }
        }
        return found;
    }
}
