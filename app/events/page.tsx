import { redirect } from "next/navigation";

// GET /events – events are browsed from /markets (by category and series)
export default function EventsIndex() {
  redirect("/markets");
}
