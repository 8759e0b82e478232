@allure.label.epic:Operations
Feature: Background jobs
  Some work the portal does later, in the background: issuing a sign-in link, deleting a video at
  Mux. Each kind of job has a handler and a retry schedule: a job that fails is tried again after
  30 seconds, then 1, 2 and 4 minutes; after its 5th failed attempt it is dead-lettered (kept, with
  the reason, for an operator) and never tried again. A job of a kind the portal does not know is
  treated the same way: it never loops.

  Rule: Every kind of job the portal queues has a handler and a retry schedule

    @local
    Scenario: The portal knows every kind of job it queues
      Then the portal queues exactly these kinds of job, each retried on its schedule
        | kind               | waits before each retry     |
        | issue_sign_in_link | 30 s, 1 min, 2 min, 4 min   |
        | mux.delete-asset   | 30 s, 1 min, 2 min, 4 min   |

    @local @negative
    Scenario Outline: A <kind> job that keeps failing is retried on its schedule, then dead-lettered
      Given a job of the kind "<kind>" that fails every time
      When the background worker has tried the job 5 times, each retry brought forward
      Then after each failed attempt the job waited <waits>, and then none
      And the job is dead-lettered after 5 attempts, with the reason it failed

      Examples:
        | kind               | waits                     |
        | issue_sign_in_link | 30 s, 1 min, 2 min, 4 min |
        | mux.delete-asset   | 30 s, 1 min, 2 min, 4 min |

  Rule: Every attempt of a failing job waits exactly as long as the schedule says

    @local @negative
    Scenario Outline: Attempt <attempt> of a failing job is followed by a wait of <wait>
      Given a job of the kind "issue_sign_in_link" that fails every time
      When the background worker has tried the job <attempt> times, each retry brought forward
      Then after attempt <attempt> the job waits <wait>

      Examples:
        | attempt | wait  |
        | 1       | 30 s  |
        | 2       | 1 min |
        | 3       | 2 min |
        | 4       | 4 min |

  Rule: A job of a kind the portal does not know is dead-lettered, never looping

    @local @negative
    Scenario: A job of an unknown kind is tried 5 times, then dead-lettered
      Given a job of the kind "no.such-kind" that fails every time
      When the background worker has tried the job 5 times, each retry brought forward
      Then after each failed attempt the job waited 30 s, 1 min, 2 min, 4 min, and then none
      And the job is dead-lettered after 5 attempts, with the reason it failed
      And another pass of the worker does not try the job again
