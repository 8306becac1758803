using System;

namespace DiffGen
{
    /// <summary>
    /// Registers the method it is placed on as the hand-written pullback of another method, so that
    /// <see cref="DifferentiableAttribute"/> methods can call that method.
    /// </summary>
    /// <remarks>
    /// The annotated method has the Backward shape of the target: the target's parameters, then
    /// <c>double seed</c> (or <c>float</c>), then one <c>ref</c> adjoint per differentiable parameter
    /// (<c>Span&lt;T&gt;</c> for arrays and spans), and it returns the target's value.
    /// Overloads of the target are matched by parameter types.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
    public sealed class DerivativeOfAttribute : Attribute
    {
        /// <summary>Registers a derivative for a method of the same type, e.g. <c>[DerivativeOf(nameof(Cdf))]</c>.</summary>
        public DerivativeOfAttribute(string methodName)
        {
            MethodName = methodName;
        }

        /// <summary>Registers a derivative for a method of another type, e.g. <c>[DerivativeOf(typeof(Math), nameof(Math.Exp))]</c>.</summary>
        public DerivativeOfAttribute(Type type, string methodName)
        {
            Type = type;
            MethodName = methodName;
        }

        /// <summary>The type that declares the target, or <see langword="null"/> for the annotated method's own type.</summary>
        public Type? Type { get; }

        /// <summary>The name of the target method.</summary>
        public string MethodName { get; }
    }
}
