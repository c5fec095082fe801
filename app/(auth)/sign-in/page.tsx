import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata = { title: "Sign in · Arbiter" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  // Only same-site paths are followed after sign-in.
  const next = callbackUrl && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <div className="auth-page">
      <div className="auth-card">
        <h1>Sign in to Arbiter</h1>
        <SignInForm callbackUrl={next} initialError={error && error !== "undefined" ? error : null} />
      </div>
    </div>
  );
}
