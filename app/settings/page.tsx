import { redirect } from "next/navigation";

// GET /settings – API keys are the only settings so far
export default function SettingsPage() {
  redirect("/settings/keys");
}
