CREATE TABLE "portfolio_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"credential_id" uuid NOT NULL,
	"subaccount" integer NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"cash_cents" bigint NOT NULL,
	"positions_cents" bigint NOT NULL,
	"cash_flow_cents" bigint DEFAULT 0 NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "portfolio_snapshots" ADD CONSTRAINT "portfolio_snapshots_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_snapshots" ADD CONSTRAINT "portfolio_snapshots_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "portfolio_snapshots_credential_time_idx" ON "portfolio_snapshots" USING btree ("credential_id","subaccount","taken_at");