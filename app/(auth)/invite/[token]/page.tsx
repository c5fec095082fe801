import { getDb } from "@/server/db/client";
import { describeInvitation } from "@/server/tenancy/members";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Join · Arbiter" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await describeInvitation(getDb(), token);
  return (
    <div className="auth-page">
      <div className="auth-card">
        {invitation ? (
          <>
            <h1>Join {invitation.tenantName}</h1>
            <p className="muted">
              You are invited as <strong>{invitation.role}</strong> with {invitation.email}.
            </p>
            <AcceptInvitationForm token={token} />
          </>
        ) : (
          <>
            <h1>Invitation not valid</h1>
            <p>This link has expired, was revoked or was used already. Ask for a new invitation.</p>
          </>
        )}
      </div>
    </div>
  );
}
