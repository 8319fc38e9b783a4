using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace Face2Data.Training.Tests.Runtime;

/// <summary>
/// Keeps build/torchsharp/BannedSymbols.txt complete for the TorchSharp version in use: reads TorchSharp's IL, finds
/// every public method that creates a Scalar no caller owns (directly or through the methods it calls), every module
/// factory whose forward does and every optimizer factory whose step does, and requires each to be banned. A TorchSharp
/// upgrade that adds such a method fails here, with the lines to add, instead of aborting a training run.
/// </summary>
public class BannedScalarApiTests
{
    [Fact]
    public void Every_torchsharp_api_that_leaves_a_scalar_to_the_finalizer_is_banned()
    {
        var banned = File.ReadLines(Path.Combine(TestPaths.RepositoryRoot, "build", "torchsharp", "BannedSymbols.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(';')[0])
            .ToHashSet();

        var required = ScalarLeaks.RequiredBans(typeof(torch).Assembly);
        var missing = required.Where(id => !banned.Contains(id)).ToList();

        Assert.True(missing.Count == 0, $"Add to build/torchsharp/BannedSymbols.txt:\n{string.Join('\n', missing)}");
        // The known cases, so that a scanner that finds nothing cannot pass.
        Assert.Contains("M:TorchSharp.torch.Tensor.op_Addition(TorchSharp.torch.Tensor,TorchSharp.torch.Tensor)", required);
        Assert.Contains("M:TorchSharp.Scalar.op_Implicit(System.Single)~TorchSharp.Scalar", required);
        Assert.Contains(required, id => id.StartsWith("M:TorchSharp.torch.optim.Adam(", StringComparison.Ordinal));
        Assert.Contains(required, id => id.StartsWith("M:TorchSharp.torch.nn.BatchNorm2d(", StringComparison.Ordinal));
        Assert.DoesNotContain("M:TorchSharp.torch.Tensor.op_Subtraction(TorchSharp.torch.Tensor,TorchSharp.torch.Tensor)", required);
    }

    /// <summary>A call graph of TorchSharp's IL, reduced to what creates Scalars.</summary>
    private static class ScalarLeaks
    {
        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        public static IReadOnlyList<string> RequiredBans(Assembly torchSharp)
        {
            var calls = new Dictionary<MethodBase, HashSet<MethodBase>>();
            foreach (var type in Types(torchSharp))
            {
                foreach (var method in Methods(type))
                {
                    calls[method] = Callees(method, type);
                }
            }

            // Methods that make a Scalar and hand it on without keeping it, then everything that calls one of them.
            var leaking = calls.Where(c => !CreatesScalar(c.Key) && c.Value.Any(CreatesScalar)).Select(c => c.Key).ToHashSet();
            for (var grew = true; grew;)
            {
                grew = false;
                foreach (var (method, callees) in calls)
                {
                    if (!CreatesScalar(method) && !leaking.Contains(method) && callees.Any(leaking.Contains))
                    {
                        grew = leaking.Add(method);
                    }
                }
            }

            var leakingModules = leaking.Where(m => m.Name == "forward" && m.DeclaringType!.Namespace == "TorchSharp.Modules").Select(m => m.DeclaringType!).ToList();
            var leakingOptimizers = leaking.Where(m => m.Name == "step").Select(m => m.DeclaringType!).ToList();
            var factories = calls.Keys.OfType<MethodInfo>().Where(m => m.IsPublic && m.IsStatic && (
                leakingModules.Any(t => t.IsAssignableFrom(m.ReturnType))
                || (m.DeclaringType!.FullName == "TorchSharp.torch+optim" && leakingOptimizers.Contains(m.ReturnType))));
            var direct = leaking.Where(m => m.IsPublic && Visible(m.DeclaringType!) && !m.DeclaringType!.Namespace!.StartsWith("TorchSharp.Modules", StringComparison.Ordinal)
                && !m.DeclaringType.FullName!.Contains("distributions", StringComparison.Ordinal) && !m.DeclaringType.FullName.Contains("jit", StringComparison.Ordinal));
            var creators = calls.Keys.Where(m => m.IsPublic && CreatesScalar(m));
            return creators.Concat(direct).Concat(factories).Select(DocumentationId).Distinct().Order(StringComparer.Ordinal).ToList();
        }

        private static bool CreatesScalar(MethodBase method) =>
            (method.DeclaringType?.FullName == "TorchSharp.Scalar" && method.Name == "op_Implicit")
            || (method.DeclaringType?.FullName == "TorchSharp.ScalarExtensionMethods" && method.Name.StartsWith("To", StringComparison.Ordinal) && method.Name.EndsWith("Scalar", StringComparison.Ordinal));

        private static bool Visible(Type type) => type.IsPublic || (type.IsNestedPublic && Visible(type.DeclaringType!));

        private static IEnumerable<Type> Types(Assembly assembly)
        {
            try
            {
                return assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException partly)
            {
                return partly.Types.OfType<Type>();
            }
        }

        private static IEnumerable<MethodBase> Methods(Type type)
        {
            try
            {
                return type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).OfType<MethodBase>().ToList();
            }
            catch (Exception error) when (error is TypeLoadException or FileNotFoundException)
            {
                return [];
            }
        }

        private static HashSet<MethodBase> Callees(MethodBase method, Type type)
        {
            var callees = new HashSet<MethodBase>();
            var il = method.GetMethodBody()?.GetILAsByteArray();
            for (var i = 0; il is not null && i < il.Length;)
            {
                var op = il[i] == 0xFE ? OpCodesByValue[unchecked((short)(0xFE00 | il[i + 1]))] : OpCodesByValue[il[i]];
                i += op.Size;
                if (op.OperandType == OperandType.InlineMethod)
                {
                    try
                    {
                        var callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), type.IsGenericType ? type.GetGenericArguments() : null, method.IsGenericMethod ? method.GetGenericArguments() : null);
                        callees.Add(callee is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericMethodDefinition() : callee!);
                    }
                    catch (Exception error) when (error is ArgumentException or TypeLoadException or FileNotFoundException or MissingMethodException)
                    {
                        // A method of an assembly TorchSharp references but this process does not have: not a Scalar.
                    }
                }

                i += op.OperandType switch
                {
                    OperandType.InlineNone => 0,
                    OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                    OperandType.InlineVar => 2,
                    OperandType.InlineI8 or OperandType.InlineR => 8,
                    OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                    _ => 4,
                };
            }

            return callees;
        }

        // The C# compiler's documentation ID (ECMA-334 annex D), as the banned-API analyzer reads it.
        private static string DocumentationId(MethodBase method)
        {
            var owner = TypeId(method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericTypeDefinition() : method.DeclaringType);
            var name = (method.IsConstructor ? "#ctor" : method.Name) + (method.IsGenericMethod ? "``" + method.GetGenericArguments().Length : "");
            var parameters = method.GetParameters();
            var id = $"M:{owner}.{name}" + (parameters.Length > 0 ? $"({string.Join(",", parameters.Select(p => TypeId(p.ParameterType)))})" : "");
            return method.Name is "op_Implicit" or "op_Explicit" ? $"{id}~{TypeId(((MethodInfo)method).ReturnType)}" : id;
        }

        private static string TypeId(Type type)
        {
            if (type.IsByRef)
            {
                return TypeId(type.GetElementType()!) + "@";
            }

            if (type.IsArray)
            {
                return TypeId(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
            }

            if (type.IsPointer)
            {
                return TypeId(type.GetElementType()!) + "*";
            }

            if (type.IsGenericParameter)
            {
                return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
            }

            var name = type.IsNested ? TypeId(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name;
            if (type.IsGenericType)
            {
                var tick = name.IndexOf('`', StringComparison.Ordinal);
                name = tick < 0 ? name : name[..tick];
                if (!type.IsGenericTypeDefinition)
                {
                    name += "{" + string.Join(",", type.GetGenericArguments().Select(TypeId)) + "}";
                }
            }

            return name;
        }
    }
}
